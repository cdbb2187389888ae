import { Alert, Cell, CellText, ColumnConfig, Flex, Table } from '@backstage/ui';
import { describeRegisterError } from './describeError';

type DetailRow = { id: number; document?: number; path: string; message: string };

const columns: ColumnConfig<DetailRow>[] = [
  {
    id: 'document',
    label: 'Document',
    // The API's 0-based index, as the backend's own message counts documents.
    cell: d => <CellText title={d.document === undefined ? '—' : String(d.document)} />,
  },
  { id: 'path', label: 'Path', isRowHeader: true, cell: d => <CellText title={d.path || '(whole document)'} /> },
  { id: 'message', label: 'Problem', cell: d => <Cell>{d.message}</Cell> },
];

/** The backend's answer in words, and every validation problem with its document and path. */
export function RegisterErrorPanel(props: { error: unknown }) {
  const view = describeRegisterError(props.error);
  const rows = view.details.map((d, id) => ({ id, ...d }));
  return (
    <Flex direction="column" gap="2" data-testid="register-error">
      <Alert
        status={view.status === 409 || view.status === 429 ? 'warning' : 'danger'}
        icon
        role="alert"
        title={view.status ? `${view.title} (${view.status})` : view.title}
        description={view.message}
      />
      {rows.length > 0 && (
        <div data-testid="validation-errors">
          <Table<DetailRow> columnConfig={columns} data={rows} pagination={{ type: 'none' }} />
        </div>
      )}
    </Flex>
  );
}
