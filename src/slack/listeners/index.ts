// Registers every listener, grouped by kind. Each listener is a named function defined in its
// own module under commands/, actions/, submissions/, options/ and events/ (and testable there);
// this file only says which Slack event reaches which.
import type { ListenerRegistry } from "../router";
import {
  ACTION_ALERT_ASSIGN,
  ACTION_ALERT_MENU,
  ACTION_ALERT_SNOOZE,
  ACTION_ALERT_SPARE,
} from "../views/alertMessage";
import {
  ACTION_APPROVE,
  ACTION_APPROVE_OVERRIDE,
  ACTION_CANCEL_REQUEST,
  ACTION_REJECT,
} from "../views/approvalMessage";
import { AGENT_PICK, ASSIGN_MODAL, NUMBER_PICK, UNASSIGN_MODAL } from "../views/assignModal";
import { ACTION_CANCEL_CHANGE, ACTION_CONFIRM_CHANGE, ACTION_REPLACE } from "../views/changeMessages";
import { ACTION_DRIFT_KEEP, ACTION_DRIFT_RESTORE, KEEP_ONE_MODAL } from "../views/driftViews";
import { ACTION_STATUS_ASSIGN, ACTION_STATUS_UNSPARE } from "../views/statusViews";
import { ACTION_TEST_CALL, TEST_CALL_MODAL } from "../views/testCallViews";
import { alertMenu } from "./actions/alertMenu";
import { approvalDecisionButton, cancelApprovalButton } from "./actions/approvalButtons";
import { cancelChangeButton, confirmChangeButton, replaceButton } from "./actions/changeButtons";
import { keepProvidersButton, restoreButton } from "./actions/driftButtons";
import { assignModalPick } from "./actions/modalPicks";
import { testCallButton } from "./actions/testCallButton";
import { assignNumberCommand } from "./commands/assignNumber";
import { numbersCommand } from "./commands/numbers";
import { unassignNumberCommand } from "./commands/unassignNumber";
import type { ListenerDeps } from "./deps";
import { appHomeOpened, HomeRefresher } from "./events/appHome";
import { agentOptions, numberOptions } from "./options/pickers";
import {
  assignSubmission,
  CONFIRM_MODAL,
  confirmSubmission,
  unassignSubmission,
} from "./submissions/changeSubmissions";
import { keepOneSubmission } from "./submissions/keepOne";
import { testCallSubmission } from "./submissions/testCall";

export function registerListeners(app: ListenerRegistry, deps: ListenerDeps): void {
  // Commands
  app.command("/assign-number", assignNumberCommand(deps));
  app.command("/unassign-number", unassignNumberCommand(deps));
  app.command("/numbers", numbersCommand(deps));

  // Actions
  app.action(ACTION_CONFIRM_CHANGE, confirmChangeButton(deps));
  app.action(ACTION_CANCEL_CHANGE, cancelChangeButton(deps));
  app.action(ACTION_REPLACE, replaceButton(deps));
  app.action(ACTION_APPROVE, approvalDecisionButton(deps, "approve"));
  app.action(ACTION_APPROVE_OVERRIDE, approvalDecisionButton(deps, "approve", true));
  app.action(ACTION_REJECT, approvalDecisionButton(deps, "reject"));
  app.action(ACTION_CANCEL_REQUEST, cancelApprovalButton(deps));
  for (const id of [
    ACTION_ALERT_ASSIGN,
    ACTION_ALERT_SNOOZE,
    ACTION_ALERT_SPARE,
    ACTION_ALERT_MENU,
    ACTION_STATUS_ASSIGN,
    ACTION_STATUS_UNSPARE,
  ]) {
    app.action(id, alertMenu(deps));
  }
  app.action({ action_id: NUMBER_PICK, type: "block_actions" }, assignModalPick(deps));
  app.action({ action_id: AGENT_PICK, type: "block_actions" }, assignModalPick(deps));
  app.action(ACTION_TEST_CALL, testCallButton(deps));
  app.action(ACTION_DRIFT_RESTORE, restoreButton(deps));
  app.action(ACTION_DRIFT_KEEP, keepProvidersButton(deps));

  // Options (external selects)
  app.options(NUMBER_PICK, numberOptions(deps));
  app.options(AGENT_PICK, agentOptions(deps));

  // Events
  app.event("app_home_opened", appHomeOpened(new HomeRefresher(deps, app.client)));

  // Modal submissions
  app.view(ASSIGN_MODAL, assignSubmission(deps));
  app.view(UNASSIGN_MODAL, unassignSubmission(deps));
  app.view(CONFIRM_MODAL, confirmSubmission(deps));
  app.view(TEST_CALL_MODAL, testCallSubmission(deps));
  app.view(KEEP_ONE_MODAL, keepOneSubmission(deps));
}
