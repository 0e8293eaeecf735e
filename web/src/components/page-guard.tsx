// Catches a page that fails to render, so the app shows what happened instead of a blank window.
import { Component, type ReactNode } from 'react';

interface State {
  error: Error | null;
  path: string;
}

export class PageGuard extends Component<{ path: string; children: ReactNode }, State> {
  override state: State = { error: null, path: this.props.path };
  static getDerivedStateFromError(error: Error) {
    return { error };
  }
  // Moving to another address clears a previous failure.
  static getDerivedStateFromProps(props: { path: string }, state: State): Partial<State> | null {
    return props.path !== state.path ? { error: null, path: props.path } : null;
  }
  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <div className="page">
        <h1>This page could not be shown</h1>
        <p className="error" role="alert">
          {this.state.error.message}
        </p>
        <p>
          <a href="/models">Go to Models</a> or reload the page.
        </p>
      </div>
    );
  }
}
