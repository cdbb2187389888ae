import { act, render, screen } from '@testing-library/react';
import { usePolling } from './usePolling';

function Probe(props: { load: () => Promise<number>; until: number }) {
  const state = usePolling({
    load: props.load,
    isChanging: v => v < props.until,
    minDelayMs: 100,
    maxDelayMs: 400,
  });
  return <span data-testid="value">{state.value ?? 'none'}{state.polling ? ' polling' : ''}</span>;
}

function setHidden(hidden: boolean) {
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (hidden ? 'hidden' : 'visible') });
  document.dispatchEvent(new Event('visibilitychange'));
}

describe('usePolling', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => {
    jest.useRealTimers();
    setHidden(false);
  });

  async function tick(ms: number) {
    await act(async () => {
      await jest.advanceTimersByTimeAsync(ms);
    });
  }

  it('loads again with a growing delay while the value changes, and stops once it settles', async () => {
    let n = 0;
    const times: number[] = [];
    const start = Date.now();
    const load = jest.fn(async () => {
      times.push(Date.now() - start);
      return ++n;
    });
    render(<Probe load={load} until={5} />);
    await tick(0);
    await tick(5000);
    expect(screen.getByTestId('value')).toHaveTextContent('5');
    expect(screen.getByTestId('value')).not.toHaveTextContent('polling');
    // 100 ms, then ×1.5 each time: 150, 225, 337.5.
    expect(times.slice(1).map((t, i) => t - times[i])).toEqual([100, 150, 225, 337]);
    await tick(5000);
    expect(load).toHaveBeenCalledTimes(5);
  });

  it('makes no requests while the tab is hidden and loads at once when it is visible again', async () => {
    let n = 0;
    const load = jest.fn(async () => ++n);
    render(<Probe load={load} until={100} />);
    await tick(0);
    expect(load).toHaveBeenCalledTimes(1);
    act(() => setHidden(true));
    await tick(10_000);
    expect(load).toHaveBeenCalledTimes(1);
    expect(screen.getByTestId('value')).not.toHaveTextContent('polling');
    act(() => setHidden(false));
    await tick(0);
    expect(load).toHaveBeenCalledTimes(2);
    expect(screen.getByTestId('value')).toHaveTextContent('polling');
  });

  it('keeps the last value and keeps trying after an error while something was changing', async () => {
    let n = 0;
    const load = jest.fn(async () => {
      n++;
      if (n === 2) throw new Error('blip');
      return n;
    });
    render(<Probe load={load} until={3} />);
    await tick(0);
    await tick(100);
    expect(screen.getByTestId('value')).toHaveTextContent('1 polling');
    await tick(150);
    expect(screen.getByTestId('value')).toHaveTextContent('3');
  });
});
