const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const OPEN_OBJECT = 0x7b;
const CLOSE_ARRAY = 0x5d;
const CLOSE_OBJECT = 0x7d;

/**
 * True when the JSON `text` nests arrays and objects more than `maxDepth` levels deep (the top-level
 * value is level 1). Checked on the text, before anything walks the parsed value: copying,
 * validating or serialising a value recurses, and a few thousand levels overflow the stack.
 * Brackets inside strings do not count. Linear in the text, no allocation.
 */
export function nestsDeeperThan(text: string, maxDepth: number): boolean {
  // Each level needs its own opening bracket.
  if (text.length <= maxDepth) return false;
  let depth = 0;
  const length = text.length;
  for (let i = 0; i < length; i++) {
    const code = text.charCodeAt(i);
    if (code === QUOTE) {
      for (i++; i < length; i++) {
        const inner = text.charCodeAt(i);
        if (inner === BACKSLASH) i++;
        else if (inner === QUOTE) break;
      }
    } else if (code === OPEN_ARRAY || code === OPEN_OBJECT) {
      if (++depth > maxDepth) return true;
    } else if (code === CLOSE_ARRAY || code === CLOSE_OBJECT) {
      depth--;
    }
  }
  return false;
}
