// An API error shown as a readable sentence next to what caused it.
import { errorMessage } from '../api.js';

export function ErrorText({ error, id }: { error: unknown; id?: string }) {
  if (error === undefined || error === null) return null;
  return (
    <p className="error" role="alert" id={id}>
      {errorMessage(error)}
    </p>
  );
}
