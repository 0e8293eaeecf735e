// A button the lifecycle rules may forbid: it stays focusable and shows the reason it is unavailable.
import { useId, useState, type ReactNode } from 'react';
import { errorMessage } from '../api.js';

export interface Permission {
  allowed: boolean;
  reason?: string;
}

interface Props {
  permission?: Permission;
  onClick: () => unknown | Promise<unknown>;
  children: ReactNode;
  primary?: boolean;
  /** Reports the error of a failed action; without it the button shows the error itself. */
  onError?: (e: unknown) => void;
}

export function ActionButton({ permission, onClick, children, primary, onError }: Props) {
  const id = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const allowed = permission?.allowed ?? true;
  async function click() {
    if (!allowed || busy) return;
    setBusy(true);
    setError(undefined);
    try {
      await onClick();
    } catch (e) {
      if (onError) onError(e);
      else setError(e);
    } finally {
      setBusy(false);
    }
  }
  // aria-disabled rather than disabled: a disabled button cannot be focused, and keyboard users
  // would never reach the explanation of why it is unavailable.
  return (
    <span className="action">
      <button
        type="button"
        className={primary ? 'primary' : undefined}
        aria-disabled={!allowed || busy}
        aria-describedby={!allowed && permission?.reason ? id : undefined}
        onClick={click}
      >
        {children}
      </button>
      {!allowed && permission?.reason && (
        <span className="why" id={id} role="note">
          {permission.reason}
        </span>
      )}
      {error !== undefined && (
        <span className="error inline" role="alert">
          {errorMessage(error)}
        </span>
      )}
    </span>
  );
}
