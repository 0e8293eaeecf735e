// A "…" menu button with a keyboard-usable list of actions, each possibly unavailable with a reason.
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import type { Permission } from './action-button.js';

export interface MenuItem {
  label: string;
  onSelect: () => void;
  permission?: Permission;
}

export function Menu({ label, items, children }: { label: string; items: MenuItem[]; children?: ReactNode }) {
  const [open, setOpen] = useState(false);
  const id = useId();
  const root = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent) => {
      if (!root.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', close);
    root.current?.querySelector<HTMLButtonElement>('[role=menuitem]')?.focus();
    return () => document.removeEventListener('mousedown', close);
  }, [open]);
  function keys(e: React.KeyboardEvent) {
    const entries = [...(root.current?.querySelectorAll<HTMLButtonElement>('[role=menuitem]') ?? [])];
    const at = entries.indexOf(document.activeElement as HTMLButtonElement);
    if (e.key === 'Escape') {
      setOpen(false);
      root.current?.querySelector<HTMLButtonElement>('button')?.focus();
    } else if (e.key === 'ArrowDown') {
      e.preventDefault();
      entries[(at + 1) % entries.length]?.focus();
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      entries[(at - 1 + entries.length) % entries.length]?.focus();
    }
  }
  return (
    <div
      className="menu"
      ref={root}
      onKeyDown={keys}
      // Tabbing away closes the menu, as a click elsewhere does.
      onBlur={(e) => {
        if (open && !root.current?.contains(e.relatedTarget as Node | null)) setOpen(false);
      }}
    >
      <button type="button" aria-haspopup="menu" aria-expanded={open} aria-controls={id} aria-label={label} onClick={() => setOpen(!open)}>
        {children ?? '…'}
      </button>
      {open && (
        <div className="menu-list" role="menu" id={id}>
          {items.map((item) => {
            const allowed = item.permission?.allowed ?? true;
            return (
              <button
                key={item.label}
                type="button"
                role="menuitem"
                aria-disabled={!allowed}
                onClick={() => {
                  if (!allowed) return;
                  setOpen(false);
                  item.onSelect();
                }}
              >
                <span>{item.label}</span>
                {!allowed && item.permission?.reason && <span className="why-inline">{item.permission.reason}</span>}
              </button>
            );
          })}
        </div>
      )}
    </div>
  );
}
