import { UserState } from "../../gen/zeugo/v1/users_pb.js";

/** The states in filter order, with i18n key and badge colour. */
export const userStates = [
  { state: UserState.INVITED, key: "invited", color: "blue" },
  { state: UserState.ACTIVE, key: "active", color: "green" },
  { state: UserState.LOCKED, key: "locked", color: "orange" },
  { state: UserState.DEACTIVATED, key: "deactivated", color: "gray" },
] as const;

export function stateInfo(state: UserState) {
  return userStates.find((s) => s.state === state);
}
