"use client";

import { useEffect, useRef, type ReactNode } from "react";
import { Button } from "./button";
import { cx } from "./cx";
import { TONE_TEXT } from "./palette";

// A modal built on <dialog>: focus is trapped and Escape closes it, both by the browser.

export function Dialog({
  open,
  title,
  children,
  onClose,
  testId,
}: {
  open: boolean;
  title: string;
  children: ReactNode;
  onClose: () => void;
  testId?: string;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      data-testid={testId}
      onClose={onClose}
      className="m-auto w-full max-w-lg rounded-lg border border-slate-300 bg-white p-0 text-slate-900 shadow-xl backdrop:bg-black/40 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100"
    >
      {open ? (
        <div className="p-4">
          <h2 className="mb-3 text-base font-semibold">{title}</h2>
          {children}
        </div>
      ) : null}
    </dialog>
  );
}

/** "Are you sure?" with the consequence spelled out. */
export function ConfirmDialog({
  open,
  title,
  body,
  confirmLabel,
  danger,
  busy,
  error,
  onConfirm,
  onClose,
  testId,
}: {
  open: boolean;
  title: string;
  body: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  busy?: boolean;
  error?: string | null;
  onConfirm: () => void;
  onClose: () => void;
  testId?: string;
}) {
  return (
    <Dialog open={open} title={title} onClose={onClose} testId={testId}>
      <div className="text-sm">{body}</div>
      <DialogError message={error} className="mt-2" />
      <div className="mt-4 flex justify-end gap-2">
        <Button onClick={onClose}>Cancel</Button>
        <Button variant={danger ? "danger" : "primary"} disabled={busy} onClick={onConfirm} data-testid="confirm-button">
          {busy ? "Working…" : confirmLabel}
        </Button>
      </div>
    </Dialog>
  );
}

/** Why the dialog's action failed, announced as it appears. */
export function DialogError({ message, className }: { message: string | null | undefined; className?: string }) {
  return message ? (
    <p role="alert" className={cx("text-sm", TONE_TEXT.bad, className)}>
      {message}
    </p>
  ) : null;
}
