import type { DoraPerformance } from '@fawkes/plugin-devlake-common';
import { Badge } from '@backstage/ui';
import { LEVEL_COLORS, LEVEL_LABELS } from './metrics';

/** The DORA performance level as a coloured chip. */
export function LevelChip(props: { level: DoraPerformance }) {
  return (
    <Badge
      size="small"
      data-testid="level"
      data-level={props.level}
      style={{ ...LEVEL_COLORS[props.level], fontWeight: 600 }}
    >
      {LEVEL_LABELS[props.level]}
    </Badge>
  );
}
