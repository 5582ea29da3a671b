import { DomainError } from "@/lib/errors";

// The closed set of failures the alert actions report, each with the status it answers with.
export type AlertErrorKind = "not_found" | "conflict" | "invalid";

const STATUS: Record<AlertErrorKind, number> = { not_found: 404, conflict: 409, invalid: 400 };

export class AlertError extends DomainError {
  constructor(
    readonly kind: AlertErrorKind,
    message: string,
  ) {
    super(STATUS[kind], message);
    this.name = "AlertError";
  }
}
