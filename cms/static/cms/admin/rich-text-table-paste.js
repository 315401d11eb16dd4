// Draftail turns pasted HTML into text blocks, and a table's cells are not blocks: a table copied from a web page
// or a document came in as one line with its cells run together ("StepWeeksDecision to assess6"). A paste holding a
// table is given to the editor again with each row as a paragraph and its cells separated by " – ", so nothing is
// run together; the Table block is where a real table belongs.
const SEPARATOR = " – ";
const rewritten = new WeakSet();

const rowsAsParagraphs = (html) => {
  const doc = new DOMParser().parseFromString(html, "text/html");
  const tables = Array.from(doc.querySelectorAll("table")).filter((table) => !table.parentElement.closest("table"));
  if (!tables.length) return null;
  tables.forEach((table) => {
    const paragraphs = Array.from(table.rows).map((row) => {
      const paragraph = doc.createElement("p");
      paragraph.textContent = Array.from(row.cells)
        .map((cell) => cell.textContent.replace(/\s+/g, " ").trim())
        .filter(Boolean)
        .join(SEPARATOR);
      return paragraph;
    });
    const caption = table.caption && table.caption.textContent.replace(/\s+/g, " ").trim();
    if (caption) {
      const paragraph = doc.createElement("p");
      paragraph.textContent = caption;
      paragraphs.unshift(paragraph);
    }
    table.replaceWith(...paragraphs.filter((paragraph) => paragraph.textContent));
  });
  return doc.body.innerHTML;
};

document.addEventListener(
  "paste",
  (event) => {
    if (rewritten.has(event) || !event.clipboardData) return;
    const editor = event.target instanceof Element && event.target.closest(".DraftEditor-root");
    const html = event.clipboardData.getData("text/html");
    if (!editor || !html || !/<table[\s>]/i.test(html)) return;
    const paragraphs = rowsAsParagraphs(html);
    if (paragraphs === null) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    const data = new DataTransfer();
    data.setData("text/html", paragraphs);
    data.setData("text/plain", event.clipboardData.getData("text/plain"));
    const again = new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true });
    rewritten.add(again);
    event.target.dispatchEvent(again);
  },
  true,
);
