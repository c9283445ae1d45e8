-- Hand-written (Prisma cannot express these): indexes for the pickers' typeahead (see
-- InventoryService.numbers). pg_trgm ships with PostgreSQL's contrib modules and is a trusted
-- extension (PostgreSQL 13+): the database owner may create it. PGlite loads it at construction.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Digits typed anywhere in a number, and text anywhere in a nickname or an agent's name.
CREATE INDEX "PhoneNumber_e164_trgm_idx" ON "PhoneNumber" USING gin ("e164" gin_trgm_ops);
CREATE INDEX "PhoneNumber_nickname_trgm_idx" ON "PhoneNumber" USING gin ("nickname" gin_trgm_ops);
CREATE INDEX "Agent_name_trgm_idx" ON "Agent" USING gin ("name" gin_trgm_ops);

-- One or two letters: a nickname prefix (too short for trigrams).
CREATE INDEX "PhoneNumber_nickname_prefix_idx" ON "PhoneNumber" (lower("nickname") text_pattern_ops);

-- An agent's picker with nothing typed yet: its provider's free numbers in order, first 100 at once.
CREATE INDEX "PhoneNumber_free_idx" ON "PhoneNumber" ("provider", "e164") WHERE "agentId" IS NULL AND "goneAt" IS NULL;
