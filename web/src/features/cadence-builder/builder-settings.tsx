import { BoostsSection } from './boosts-section.tsx';
import { CriterionFieldList } from './criteria-editor.tsx';
import { EnrolmentSection, ExitSection, ScheduleSection } from './settings-sections.tsx';

/** The cadence's settings under its steps, in a chunk of their own (loaded just after the steps). */
export function BuilderSettings() {
  return (
    <>
      <ScheduleSection />
      <ExitSection />
      <EnrolmentSection />
      <BoostsSection />
      <CriterionFieldList />
    </>
  );
}
