import { describe, expect, it } from 'vitest';
import { addDays, daysBetween, monthGrid, monthRange, shiftLocal, weekRange } from './dates';

describe('calendar dates', () => {
  it('gives a month as [first day, first day of the next) and pads the grid to Monday', () => {
    expect(monthRange(2026, 11)).toEqual({ from: '2026-12-01', to: '2027-01-01' });
    const grid = monthGrid(2026, 1); // February 2026 starts on a Sunday
    expect(grid.slice(0, 7)).toEqual([null, null, null, null, null, null, '2026-02-01']);
    expect(grid.at(-1)).toBe('2026-02-28');
  });

  it('finds the Monday-to-Sunday week of a date, across a year end', () => {
    expect(weekRange('2026-12-31')).toEqual({ from: '2026-12-28', to: '2027-01-04' });
    expect(weekRange('2026-12-28')).toEqual({ from: '2026-12-28', to: '2027-01-04' });
    expect(weekRange('2027-01-03')).toEqual({ from: '2026-12-28', to: '2027-01-04' });
  });

  it('counts days between dates and adds them across month and leap days', () => {
    expect(daysBetween('2028-02-28', '2028-03-01')).toBe(2);
    expect(daysBetween('2026-03-10', '2026-03-01')).toBe(-9);
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
  });

  it('moves a wall-clock time by days and keeps its time of day, including over a DST change', () => {
    expect(shiftLocal('2026-03-27T09:30', 3)).toBe('2026-03-30T09:30');
    expect(shiftLocal('2026-03-01T23:59:00', -1)).toBe('2026-02-28T23:59:00');
  });
});
