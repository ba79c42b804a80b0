import { useId, type InputHTMLAttributes, type ReactNode, type TextareaHTMLAttributes } from 'react';

const INPUT = 'mt-1 block w-full rounded border border-slate-500 bg-white px-2 py-1.5 text-slate-900 focus-visible:outline-2 focus-visible:outline-indigo-700';

interface FieldProps {
  label: string;
  error?: string | undefined;
  hint?: ReactNode;
}

/** A visible label, and the error linked by aria-describedby so a screen reader reads it. */
export function TextField({ label, error, hint, ...props }: FieldProps & InputHTMLAttributes<HTMLInputElement>) {
  const id = useId();
  return (
    <div className="mb-3">
      <label htmlFor={id} className="block text-sm font-medium text-slate-900">
        {label}
      </label>
      <input id={id} className={INPUT} aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-error` : hint ? `${id}-hint` : undefined} {...props} />
      {hint && !error ? <p id={`${id}-hint`} className="mt-1 text-xs text-slate-700">{hint}</p> : null}
      {error ? <p id={`${id}-error`} className="mt-1 text-sm text-red-800">{error}</p> : null}
    </div>
  );
}

export function TextArea({ label, error, hint, ...props }: FieldProps & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const id = useId();
  return (
    <div className="mb-3">
      <label htmlFor={id} className="block text-sm font-medium text-slate-900">
        {label}
      </label>
      <textarea id={id} className={`${INPUT} min-h-32`} aria-invalid={error ? true : undefined} aria-describedby={`${id}-hint`} {...props} />
      <p id={`${id}-hint`} className="mt-1 text-xs text-slate-700">{error ?? hint}</p>
    </div>
  );
}
