import { Plus, X } from 'lucide-react';
import { useState } from 'react';
import type { FieldCriterion } from '@contract/cadences.ts';
import { Button } from '@/components/ui/button.tsx';
import { Input } from '@/components/ui/input.tsx';
import { Select } from '@/components/ui/select.tsx';
import { sentence } from '@/lib/text.ts';
import { criterionFrom, criterionParts, CRITERION_FIELDS, CRITERION_OPS, OP_WORDS, type CriterionOp } from './builder-model.ts';

/** One criterion as a row: field, operator, value. The value is kept as typed until it changes. */
function CriterionRow({ value, onChange, onRemove, label, error }: {
  value: FieldCriterion;
  onChange: (c: FieldCriterion) => void;
  onRemove: () => void;
  label: string;
  error?: string;
}) {
  const parts = criterionParts(value);
  const [text, setText] = useState(parts.text);
  const set = (field: string, op: CriterionOp, t: string) => onChange(criterionFrom(field, op, t));
  return (
    <li className="flex flex-col gap-1" aria-label={label}>
      <div className="flex flex-wrap items-center gap-1.5">
        <Input aria-label={`${label}: field`} list="criterion-fields" value={parts.field} onChange={(e) => set(e.target.value, parts.op, text)} className="w-36" placeholder="status" />
        <Select aria-label={`${label}: comparison`} value={parts.op} onChange={(e) => set(parts.field, e.target.value as CriterionOp, text)}>
          {CRITERION_OPS.map((o) => <option key={o} value={o}>{OP_WORDS[o]}</option>)}
        </Select>
        <Input
          aria-label={`${label}: value`}
          value={text}
          onChange={(e) => { setText(e.target.value); set(parts.field, parts.op, e.target.value); }}
          placeholder={parts.op === 'in' ? 'Qualified, Customer' : 'value'}
          className="min-w-32 flex-1"
          aria-invalid={Boolean(error)}
        />
        <Button variant="ghost" size="icon" aria-label={`Remove ${label.toLowerCase()}`} onClick={onRemove} className="size-7"><X aria-hidden="true" /></Button>
      </div>
      {error && <p className="text-[13px] text-red-700">{sentence(error)}</p>}
    </li>
  );
}

/**
 * Field criteria (`status is one of Qualified, Customer`), for the exit rules and the
 * automatic enrolment filter. Custom fields by name (`industry` or `fields.industry`).
 */
export function CriteriaEditor({ value, onChange, noun, errors, addLabel }: {
  value: FieldCriterion[];
  onChange: (v: FieldCriterion[]) => void;
  /** "Exit criterion", "Filter": each row's accessible name. */
  noun: string;
  errors?: ReadonlyArray<string | undefined>;
  addLabel: string;
}) {
  // Rows keep their typed text by position; a removal remounts the rows after it.
  const [generation, setGeneration] = useState(0);
  return (
    <div className="flex flex-col gap-2">
      {value.length > 0 && (
        <ul className="flex flex-col gap-2">
          {value.map((c, i) => (
            <CriterionRow
              key={`${generation}-${i}`}
              label={`${noun} ${i + 1}`}
              value={c}
              error={errors?.[i]}
              onChange={(next) => onChange(value.map((x, j) => (j === i ? next : x)))}
              onRemove={() => { onChange(value.filter((_, j) => j !== i)); setGeneration((g) => g + 1); }}
            />
          ))}
        </ul>
      )}
      <Button size="sm" variant="ghost" className="self-start" onClick={() => onChange([...value, { field: 'status', in: [] }])}>
        <Plus aria-hidden="true" />{addLabel}
      </Button>
    </div>
  );
}

/** The field names the criteria rows suggest; rendered once per page. */
export const CriterionFieldList = () => <datalist id="criterion-fields">{CRITERION_FIELDS.map((f) => <option key={f} value={f} />)}</datalist>;
