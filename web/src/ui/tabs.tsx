'use client';
import * as RadixTabs from '@radix-ui/react-tabs';

export const Tabs = RadixTabs.Root;
export const TabPanel = RadixTabs.Content;

export function TabList({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <RadixTabs.List aria-label={label} className="flex gap-1 border-b border-slate-400">
      {children}
    </RadixTabs.List>
  );
}

export function Tab({ value, children }: { value: string; children: React.ReactNode }) {
  return (
    <RadixTabs.Trigger
      value={value}
      className="rounded-t px-3 py-1.5 text-sm text-slate-900 focus-visible:outline-2 focus-visible:outline-indigo-700 data-[state=active]:border-b-2 data-[state=active]:border-indigo-700 data-[state=active]:font-semibold"
    >
      {children}
    </RadixTabs.Trigger>
  );
}
