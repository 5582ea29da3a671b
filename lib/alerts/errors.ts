// The closed set of failures the alert actions report; route handlers map `kind` to a status.
export type AlertErrorKind = "not_found" | "conflict" | "invalid";

export class AlertError extends Error {
  constructor(
    readonly kind: AlertErrorKind,
    message: string,
  ) {
    super(message);
    this.name = "AlertError";
  }
}
