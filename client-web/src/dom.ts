// A few lines instead of a framework: build elements with attributes, listeners and children.
// Text always goes in as text nodes (never innerHTML), so a contact's vCard cannot inject markup.

export type Child = Node | string | number | null | undefined | false
type Listener = (event: any) => void
export type Attrs = Record<string, string | number | boolean | Listener | undefined>

export function h<K extends keyof HTMLElementTagNameMap> (tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag)
  for (const [key, value] of Object.entries(attrs)) {
    if (value == null || value === false) continue
    if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2).toLowerCase(), value)
    } else if (key === 'testid') {
      el.dataset.testid = String(value)
    } else if (typeof value === 'boolean') {
      el.setAttribute(key, '')
    } else if (typeof value !== 'function') {
      el.setAttribute(key, String(value))
    }
  }
  append(el, ...children)
  return el
}

export function append (el: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child == null || child === false) continue
    el.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child)
  }
}

export function replaceChildren (el: Element, ...children: Child[]): void {
  el.replaceChildren()
  append(el, ...children)
}
