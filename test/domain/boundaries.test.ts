// The domain is pure: it imports nothing from the providers, services, Slack or generated code,
// so its rules can be read and tested alone. Fails when a domain file reaches outside src/domain.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const DOMAIN = join(__dirname, "../../src/domain");
const VIEWS = join(__dirname, "../../src/slack/views");

function importsOf(dir: string): [string, string][] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".ts"))
    .flatMap((file) =>
      [...readFileSync(join(dir, file), "utf8").matchAll(/from\s+"([^"]+)"/g)].map(
        (m) => [file, m[1]!] as [string, string],
      ),
    );
}

describe("layer boundaries", () => {
  it("a domain file imports only other domain files and packages", () => {
    const outside = importsOf(DOMAIN).filter(([, from]) => from.startsWith(".") && !from.startsWith("./"));
    expect(outside).toEqual([]);
  });

  it("a view builder imports nothing from the generated Prisma client", () => {
    const prisma = importsOf(VIEWS).filter(([, from]) => from.includes("generated"));
    expect(prisma).toEqual([]);
  });
});
