'use client';
import { useState, type DragEvent, type ReactNode } from 'react';
import { DRAG_TYPE } from './calendar-entry';

/** A day that takes a dragged message; the drop names the day, the screen decides the rest. */
export function DropDay({ date, onDropMessage, className, children }: { date: string; onDropMessage: (id: string, date: string) => void; className?: string; children: ReactNode }) {
  const [over, setOver] = useState(false);
  const accepts = (e: DragEvent) => e.dataTransfer.types.includes(DRAG_TYPE);
  return (
    <td
      data-date={date}
      className={`${className ?? ''} ${over ? 'bg-indigo-50 outline-2 outline-indigo-700' : ''}`}
      onDragOver={(e) => {
        if (!accepts(e)) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'move';
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        setOver(false);
        const id = e.dataTransfer.getData(DRAG_TYPE);
        if (!id) return;
        e.preventDefault();
        onDropMessage(id, date);
      }}
    >
      {children}
    </td>
  );
}
