// The speaker index, filtered as you type and sorted by a column's header. Without this script the
// index is the same table, every speaker, most quoted first.
(() => {
  const table = document.getElementById("speaker-index");
  const filter = document.getElementById("index-filter");
  const count = document.getElementById("index-count");
  if (!table || !filter || !count) return;
  const body = table.tBodies[0];
  const rows = [...body.rows];
  for (const row of rows) row.dataset.search = row.textContent.toLowerCase();

  const show = () => {
    const words = filter.value.toLowerCase().split(/\s+/).filter(Boolean);
    let shown = 0;
    for (const row of rows) {
      row.hidden = !words.every((word) => row.dataset.search.includes(word));
      shown += row.hidden ? 0 : 1;
    }
    count.textContent = `${shown.toLocaleString("en")} of ${rows.length.toLocaleString("en")} speakers`;
  };
  filter.hidden = count.hidden = false;
  filter.addEventListener("input", show);
  show();

  const headers = [...table.tHead.rows[0].cells];
  headers.forEach((th, column) => {
    const numeric = th.classList.contains("num");
    const button = document.createElement("button");
    button.type = "button";
    button.append(...th.childNodes);
    th.append(button);
    button.addEventListener("click", () => {
      // numbers largest first, words A to Z; a second click turns the order round
      const first = numeric ? "descending" : "ascending";
      const order = th.getAttribute("aria-sort") === first ? (numeric ? "ascending" : "descending") : first;
      for (const other of headers) other.removeAttribute("aria-sort");
      th.setAttribute("aria-sort", order);
      const key = (row) => {
        const text = row.cells[column].textContent.trim();
        return numeric ? Number(text.replace(/,/g, "")) : text.toLowerCase();
      };
      const sign = order === "ascending" ? 1 : -1;
      rows.sort((a, b) => {
        const [x, y] = [key(a), key(b)];
        return (x < y ? -1 : x > y ? 1 : 0) * sign;
      });
      body.append(...rows);
    });
  });
})();
