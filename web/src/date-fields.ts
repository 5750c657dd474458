import { formatDay, parseDay } from './dates.js';
import { h } from './dom.js';

/** A date field of the search form: what it is called in messages, and its input. */
export interface DateField {
  readonly name: string;
  readonly input: HTMLInputElement;
}

/**
 * Makes text inputs date fields in the pages' one format (`15 Jun 2026`): a typed day is read when the field
 * changes (see dates.ts for what is understood), shown back in the house format and passed to `onDay` as
 * `YYYY-MM-DD` ('' when emptied). Anything unreadable marks the field invalid and says so in `hint`, and the
 * search stays as it was: a half-typed date is not searched. Where the browser can open its own date picker
 * on demand (`showPicker`), each field gets a calendar button that does, and the day picked is written in.
 */
export function dateFields<F extends DateField>(fields: readonly F[], hint: HTMLElement, onDay: (field: F, day: string) => void): void {
  const usual = hint.textContent ?? '';
  const problems = new Map<HTMLInputElement, string>();
  const showProblems = () => {
    const text = [...problems.values()].join(' ');
    hint.textContent = text || usual;
    hint.classList.toggle('error', text !== '');
  };
  for (const field of fields) {
    addPicker(field);
    field.input.addEventListener('change', () => {
      const day = parseDay(field.input.value);
      if (day === undefined) {
        field.input.setAttribute('aria-invalid', 'true');
        problems.set(field.input, `${field.name}: “${field.input.value.trim()}” is not a date; write one like 15 Jun 2026.`);
        showProblems();
        return;
      }
      field.input.removeAttribute('aria-invalid');
      problems.delete(field.input);
      showProblems();
      field.input.value = formatDay(day);
      onDay(field, day);
    });
  }
}

/** Shows a `YYYY-MM-DD` day (or '') in a date field, in the house format. */
export function showDay(input: HTMLInputElement, day: string): void {
  input.value = formatDay(day);
  input.removeAttribute('aria-invalid');
}

const CALENDAR = 'M4 6h16v14H4zM4 10h16M8 3v4M16 3v4';

/**
 * A calendar button beside a date field that opens the browser's date picker (of a native date input kept out of
 * sight and out of the tab order); the day picked goes into the field in the house format, as if typed.
 */
function addPicker(field: DateField): void {
  const picker = h('input', { class: 'date-picker', attrs: { type: 'date', tabindex: '-1', 'aria-hidden': 'true' } });
  if (typeof picker.showPicker !== 'function') return;
  const icon = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  icon.setAttribute('viewBox', '0 0 24 24');
  icon.setAttribute('aria-hidden', 'true');
  const path = document.createElementNS('http://www.w3.org/2000/svg', 'path');
  path.setAttribute('d', CALENDAR);
  icon.append(path);
  const button = h('button', { class: 'date-button', attrs: { type: 'button', 'aria-label': `Choose the “${field.name}” date from a calendar` } }, [icon]);
  button.addEventListener('click', () => {
    picker.value = parseDay(field.input.value) ?? '';
    try {
      picker.showPicker();
    } catch {
      field.input.focus(); // refused (no user activation, say): typing still works
    }
  });
  picker.addEventListener('change', () => {
    if (picker.value === '') return;
    field.input.value = formatDay(picker.value);
    field.input.dispatchEvent(new Event('change'));
    field.input.focus();
  });
  const wrapper = h('span', { class: 'date-input' });
  field.input.replaceWith(wrapper);
  wrapper.append(field.input, button, picker);
}
