// What a person on a phone or a desktop would meet on the page now shown, measured by the browser itself.
// Returns {problems: [[check, element, detail]], text: the page's visible text, assets: stylesheet and script URLs}.
() => {
  const MIN_TARGET = 44, MIN_FONT = 14, SLACK = 0.5;
  const problems = [];
  const report = (check, element, detail) => problems.push([check, describe(element), detail]);

  function describe(element) {
    const path = [];
    for (let node = element; node && node.nodeType === 1 && path.length < 4; node = node.parentElement) {
      let part = node.tagName.toLowerCase();
      if (node.id) { path.unshift(`${part}#${node.id}`); break; }
      if (node.classList.length) part += "." + [...node.classList].join(".");
      path.unshift(part);
    }
    const label = element.getAttribute("data-label") || (element.name ? `name=${element.name}` : "");
    const text = (element.innerText || element.getAttribute("aria-label") || element.placeholder || "")
      .trim().replace(/\s+/g, " ").slice(0, 60);
    return path.join(" > ") + (label ? ` [${label}]` : "") + (text ? ` "${text}"` : "");
  }

  function shown(element) {
    if (!element.checkVisibility({ visibilityProperty: true })) return false;
    const box = element.getBoundingClientRect();
    // Off the page to the left or above: the skip link until it has the focus.
    return box.width > 0 && box.height > 0 && box.right + window.scrollX > 0 && box.bottom + window.scrollY > 0;
  }

  function lines(rects) {
    const tops = [];
    for (const rect of rects) {
      if (rect.width < 1 || rect.height < 1) continue;
      if (!tops.some((top) => Math.abs(top - rect.top) < rect.height / 2)) tops.push(rect.top);
    }
    return tops.length;
  }

  // Forms folded into <details> are checked too.
  document.querySelectorAll("details").forEach((details) => { details.open = true; });

  // 1. Nothing scrolls sideways; if the page does, name the innermost elements that stick out of it.
  const width = window.innerWidth;
  if (document.documentElement.scrollWidth > width) {
    const clipped = (element) => {
      for (let above = element.parentElement; above && above !== document.body; above = above.parentElement) {
        if (getComputedStyle(above).overflowX !== "visible") return true;
      }
      return false;
    };
    const sticking = [...document.body.querySelectorAll("*")].filter((element) => {
      const box = element.getBoundingClientRect();
      return box.width > 0 && box.right > width + SLACK && !clipped(element);
    });
    const innermost = sticking.filter(
      (element) => !sticking.some((other) => other !== element && element.contains(other)));
    for (const element of (innermost.length ? innermost.slice(0, 5) : [document.body])) {
      report("scrolls sideways", element,
             `the page is ${document.documentElement.scrollWidth} px wide in a ${width} px window; this ends at ` +
             `${Math.round(element.getBoundingClientRect().right)} px`);
    }
  }

  // 2. No word in a table cell breaks across two lines. A word is a run of letters, marks and digits: a line may
  // break after a hyphen or a slash, as Unicode line breaking allows, but never inside "Chuyển" or "10933".
  for (const cell of document.querySelectorAll("td, th")) {
    if (!shown(cell)) continue;
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.parentElement || node.parentElement.getBoundingClientRect().width <= 1) continue;
      for (const word of node.data.matchAll(/[\p{L}\p{M}\p{N}]+/gu)) {
        const range = document.createRange();
        range.setStart(node, word.index);
        range.setEnd(node, word.index + word[0].length);
        if (lines(range.getClientRects()) > 1) {
          report("word broken in a table cell", cell, `"${word[0]}" spans two lines`);
        }
      }
    }
  }

  // 3. Everything a thumb presses is 44 x 44 px at least; a checkbox or radio counts with its label.
  const targets = "a[href], button, input:not([type=hidden]), select, textarea, summary";
  for (const element of document.querySelectorAll(targets)) {
    if (!shown(element)) continue;
    let box = element.getBoundingClientRect();
    let { left, top, right, bottom } = box;
    if (element.matches("input[type=checkbox], input[type=radio]")) {
      for (const label of element.labels || []) {
        const area = label.getBoundingClientRect();
        left = Math.min(left, area.left); top = Math.min(top, area.top);
        right = Math.max(right, area.right); bottom = Math.max(bottom, area.bottom);
      }
    }
    const [w, h] = [right - left, bottom - top];
    if (w < MIN_TARGET - SLACK || h < MIN_TARGET - SLACK) {
      report("touch target under 44 px", element, `${Math.round(w)} x ${Math.round(h)} px`);
    }
  }

  // 4. Text areas: the whole width, the page's font, four lines tall at least.
  const pageFont = getComputedStyle(document.body).fontFamily;
  for (const area of document.querySelectorAll("textarea")) {
    if (!shown(area)) continue;
    const style = getComputedStyle(area);
    const parent = area.parentElement, parentStyle = getComputedStyle(parent);
    const room = parent.clientWidth - parseFloat(parentStyle.paddingLeft) - parseFloat(parentStyle.paddingRight);
    const inner = area.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
    if (style.fontFamily !== pageFont) report("text area font", area, `${style.fontFamily}, not ${pageFont}`);
    if (area.getBoundingClientRect().width < room - 1) {
      report("text area not full width", area, `${Math.round(area.getBoundingClientRect().width)} of ${room} px`);
    }
    const line = parseFloat(style.lineHeight) || 1.2 * parseFloat(style.fontSize);  // "normal" is about 1.2
    if (inner < 4 * line - 1) {
      report("text area under four lines", area, `${Math.round(inner)} px for lines of ${Math.round(line)} px`);
    }
  }

  // 5. Readable without zooming: the viewport follows the device, and no text is smaller than 14 px.
  const viewport = document.querySelector("meta[name=viewport]");
  if (!viewport || !viewport.content.includes("width=device-width")) {
    report("no zoom-free viewport", document.head, "meta viewport must say width=device-width");
  }
  const small = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const element = node.parentElement;
    if (!node.data.trim() || small.has(element) || !shown(element)) continue;
    if (element.closest(".visually-hidden")) continue;
    const size = parseFloat(getComputedStyle(element).fontSize);
    if (size < MIN_FONT - SLACK) { small.add(element); report("text too small", element, `${size} px`); }
  }

  // The text a person sees or hears, for the language check; buttons' and fields' own words included.
  const words = [document.body.innerText];
  for (const field of document.querySelectorAll("[placeholder], input[type=submit], input[type=button]")) {
    words.push(field.getAttribute("placeholder") || field.value || "");
  }
  for (const select of document.querySelectorAll("select")) {
    if (select.selectedOptions.length) words.push(select.selectedOptions[0].text);
  }
  const assets = [...document.querySelectorAll("link[rel=stylesheet][href], script[src]")]
    .map((element) => element.href || element.src);
  return { problems, text: words.join("\n"), assets };
}
