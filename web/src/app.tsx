// The application shell: navigation and the page for the current address.
import { PageGuard } from './components/page-guard.js';
import { Link, matchPath, useLocation } from './router.js';
import { ModelsPage } from './pages/models-page.js';
import { NewModelPage } from './pages/new-model-page.js';
import { ModelPage } from './pages/model-page.js';
import { TablesPage } from './pages/tables-page.js';
import { TablePage } from './pages/table-page.js';

export function App() {
  const { path } = useLocation();
  const section = path.startsWith('/tables') ? 'tables' : 'models';
  return (
    <div className="shell">
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link href="/models" className="brand">
          Lathe
        </Link>
        <nav aria-label="Main">
          <Link href="/models" aria-current={section === 'models' ? 'page' : undefined}>
            Models
          </Link>
          <Link href="/tables" aria-current={section === 'tables' ? 'page' : undefined}>
            Tables
          </Link>
        </nav>
      </header>
      <main id="main" tabIndex={-1}>
        <PageGuard path={path}>
          <Page path={path} />
        </PageGuard>
      </main>
    </div>
  );
}

function Page({ path }: { path: string }) {
  if (path === '/' || path === '/models') return <ModelsPage />;
  if (path === '/models/new') return <NewModelPage />;
  if (path === '/tables') return <TablesPage />;
  let p = matchPath('/tables/:id', path);
  if (p) return <TablePage key={p.id} tableId={p.id} />;
  p = matchPath('/models/:id', path) ?? matchPath('/models/:id/:tab', path) ?? matchPath('/models/:id/:tab/:arg', path);
  if (p) return <ModelPage key={p.id} modelId={p.id} tab={p.tab ?? 'details'} arg={p.arg} />;
  return (
    <div className="page">
      <h1>Page not found</h1>
      <p>
        There is nothing at {path}. <Link href="/models">Go to Models</Link>.
      </p>
    </div>
  );
}
