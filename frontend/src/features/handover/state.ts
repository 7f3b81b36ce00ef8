// A handover's state as HR reads it: the badge and whether it is still open.
import { HandoverState, type Handover } from "../../gen/zeugo/v1/handover_pb.js";

/** stateColor is the badge colour of a state. */
export const stateColor: Record<HandoverState, string> = {
  [HandoverState.UNSPECIFIED]: "gray",
  [HandoverState.SENT]: "blue",
  [HandoverState.OPENED]: "cyan",
  [HandoverState.COMPLETED]: "green",
  [HandoverState.EXPIRED]: "gray",
  [HandoverState.REVOKED]: "red",
};

/** isOpen: the recipient can still work on it (sent or opened). */
export function isOpen(h: Pick<Handover, "state">): boolean {
  return h.state === HandoverState.SENT || h.state === HandoverState.OPENED;
}

/** canExtend: an expired handover can be extended, a revoked or completed one cannot. */
export function canExtend(h: Pick<Handover, "state">): boolean {
  return isOpen(h) || h.state === HandoverState.EXPIRED;
}
