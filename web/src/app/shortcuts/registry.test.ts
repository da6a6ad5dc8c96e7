import { describe, expect, it, vi } from 'vitest';
import { isTyping, keyLabels, ShortcutRegistry } from './registry.ts';

const press = (registry: ShortcutRegistry, key: string, init: KeyboardEventInit & { target?: Element } = {}, now = 0) => {
  const event = new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...init });
  const target = init.target ?? document.body;
  Object.defineProperty(event, 'target', { value: target });
  return registry.handle(event, now);
};

describe('the shortcut registry', () => {
  it('runs a registered key and stops after its removal', () => {
    const registry = new ShortcutRegistry(false);
    const next = vi.fn();
    const remove = registry.register({ keys: 'j', description: 'Next task', run: next });
    expect(press(registry, 'j')).toBe(true);
    expect(next).toHaveBeenCalledTimes(1);
    remove();
    expect(press(registry, 'j')).toBe(false);
    expect(next).toHaveBeenCalledTimes(1);
  });

  it('ignores keys typed into a text field, a textarea or an editable element', () => {
    const registry = new ShortcutRegistry(false);
    const skip = vi.fn();
    registry.register({ keys: 's', description: 'Skip', run: skip });
    const input = document.createElement('input');
    const textarea = document.createElement('textarea');
    const editable = document.createElement('div');
    editable.setAttribute('contenteditable', 'true');
    const checkbox = Object.assign(document.createElement('input'), { type: 'checkbox' });
    for (const target of [input, textarea, editable]) expect(press(registry, 's', { target })).toBe(false);
    expect(skip).not.toHaveBeenCalled();
    expect(isTyping(checkbox)).toBe(false);
    expect(press(registry, 's', { target: checkbox })).toBe(true);
  });

  it('does not run page shortcuts from inside a dialog, unless asked to', () => {
    const registry = new ShortcutRegistry(false);
    const page = vi.fn();
    const everywhere = vi.fn();
    registry.register({ keys: 'n', description: 'Next', run: page });
    registry.register({ keys: '?', description: 'Shortcuts', run: everywhere, inDialog: true });
    const dialog = document.createElement('div');
    dialog.setAttribute('role', 'dialog');
    const button = document.createElement('button');
    dialog.append(button);
    expect(press(registry, 'n', { target: button })).toBe(false);
    expect(press(registry, '?', { target: button, shiftKey: true })).toBe(true);
    expect(page).not.toHaveBeenCalled();
    expect(everywhere).toHaveBeenCalledTimes(1);
  });

  it('matches modifiers exactly: j is not ctrl+j, nor shift+j; ? is typed with shift', () => {
    const registry = new ShortcutRegistry(false);
    const j = vi.fn();
    const find = vi.fn();
    const help = vi.fn();
    registry.register({ keys: 'j', description: 'Next', run: j });
    registry.register({ keys: 'mod+k', description: 'Find', run: find });
    registry.register({ keys: '?', description: 'Help', run: help });
    expect(press(registry, 'j', { ctrlKey: true })).toBe(false);
    expect(press(registry, 'J', { shiftKey: true })).toBe(false);
    expect(press(registry, 'k', { ctrlKey: true })).toBe(true);
    expect(press(registry, 'k', { metaKey: true })).toBe(false);
    expect(press(registry, '?', { shiftKey: true })).toBe(true);
    expect([j.mock.calls.length, find.mock.calls.length, help.mock.calls.length]).toEqual([0, 1, 1]);
  });

  it('runs a two-key sequence only when the second key follows soon', () => {
    const registry = new ShortcutRegistry(false);
    const today = vi.fn();
    registry.register({ keys: 'g t', description: 'Go to Today', run: today });
    expect(press(registry, 'g', {}, 0)).toBe(false);
    expect(press(registry, 't', {}, 500)).toBe(true);
    expect(press(registry, 'g', {}, 10_000)).toBe(false);
    expect(press(registry, 't', {}, 12_000)).toBe(false);
    expect(today).toHaveBeenCalledTimes(1);
  });

  it('lists one row per key, the latest registration running and listed', () => {
    const registry = new ShortcutRegistry(false);
    const shell = vi.fn();
    const page = vi.fn();
    registry.register({ keys: '?', description: 'Show keyboard shortcuts', run: vi.fn() });
    registry.register({ keys: 'e', description: 'Edit (shell)', run: shell });
    const removePage = registry.register({ keys: 'e', description: 'Edit draft', group: 'Focus mode', run: page });
    expect(registry.list().map((e) => e.description)).toEqual(['Show keyboard shortcuts', 'Edit draft']);
    press(registry, 'e');
    expect(page).toHaveBeenCalledTimes(1);
    removePage();
    expect(registry.list().map((e) => e.description)).toEqual(['Show keyboard shortcuts', 'Edit (shell)']);
  });

  it('refuses a key it cannot read', () => {
    expect(() => new ShortcutRegistry(false).register({ keys: 'hyper+x', description: 'x', run: vi.fn() })).toThrow(/not a key/);
  });

  it('labels keys for people', () => {
    expect(keyLabels('g t', false)).toEqual([['G'], ['T']]);
    expect(keyLabels('mod+k', true)).toEqual([['⌘', 'K']]);
    expect(keyLabels('mod+k', false)).toEqual([['Ctrl', 'K']]);
  });
});
