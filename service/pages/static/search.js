// Label autocomplete for the search box (progressive enhancement: the form works without it).
"use strict";
(function () {
  const input = document.querySelector("input[data-autocomplete]");
  if (!input) return;
  const list = input.form.querySelector(".suggestions");
  let pending = null;

  function show(results) {
    list.replaceChildren();
    for (const result of results) {
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = result.href;
      link.textContent = result.label; // text, never HTML: labels stay escaped
      const type = document.createElement("span");
      type.className = "type";
      type.textContent = result.kind; // "condition", "source"...: never owl#Class
      item.append(link, " ", type);
      list.append(item);
    }
    list.hidden = results.length === 0;
  }

  input.addEventListener("input", function () {
    const query = input.value.trim();
    if (pending) pending.abort();
    if (query.length < 2) { show([]); return; }
    pending = new AbortController();
    const url = input.dataset.autocomplete + "?limit=10&q=" + encodeURIComponent(query);
    fetch(url, { signal: pending.signal, headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : []; })
      .then(show)
      .catch(function (error) { if (error.name !== "AbortError") show([]); });
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Escape") show([]);
  });
})();
