import { DateRangePicker, Flex, Select } from '@backstage/ui';
import { parseDate } from '@internationalized/date';
import { lastDays, Period, PeriodChoice } from './period';

const options = [
  { id: '30', label: 'Last 30 days' },
  { id: '90', label: 'Last 90 days' },
  { id: '180', label: 'Last 180 days' },
  { id: 'custom', label: 'Custom range' },
];

/** 30/90/180 days or a custom range (UTC dates). */
export function PeriodSelector(props: { value: Period; onChange: (period: Period) => void }) {
  const { value, onChange } = props;
  return (
    <Flex gap="2" align="end">
      <Select
        label="Period"
        options={options}
        value={value.choice}
        onChange={key => {
          const choice = String(key) as PeriodChoice;
          if (choice === 'custom') onChange({ ...value, choice });
          else onChange(lastDays(Number(choice)));
        }}
      />
      {value.choice === 'custom' && (
        <DateRangePicker
          label="Custom range"
          value={{ start: parseDate(value.startDate), end: parseDate(value.endDate) }}
          onChange={range => {
            if (range) onChange({ choice: 'custom', startDate: range.start.toString(), endDate: range.end.toString() });
          }}
        />
      )}
    </Flex>
  );
}
