/* Autocomplete for every search box with data-suggest: progressive enhancement, the form works
   without it. A listbox under the field; arrows move, Enter opens, Escape closes.
   The labels come translated from the data-* attributes of this script's own tag. */
(function () {
  "use strict";
  var me = document.currentScript, labels = me ? me.dataset : {};
  var kinds = {category: labels.category || "Category", shop: labels.shop || "Shop", product: labels.product || "Product"};
  document.querySelectorAll("input[data-suggest]").forEach(function (input, n) {
    var list = document.createElement("ul"), timer = null, items = [], active = -1, asked = 0;
    list.id = "suggest-" + n;
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", labels.listLabel || "Suggestions");
    list.className = "suggest";
    list.hidden = true;
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("aria-expanded", "false");
    input.insertAdjacentElement("afterend", list);
    // Every question gets a number; only the answer to the latest one is shown, and closing
    // the list forgets the questions still on their way (a late answer must not reopen it).
    function close() { clearTimeout(timer); asked += 1; list.hidden = true; active = -1; input.setAttribute("aria-expanded", "false"); input.removeAttribute("aria-activedescendant"); }
    function show(found) {
      items = found; list.textContent = ""; active = -1;
      found.forEach(function (s, i) {
        var li = document.createElement("li"), a = document.createElement("a");
        li.id = list.id + "-" + i; li.setAttribute("role", "option");
        a.href = s.url; a.textContent = s.label + (s.shop_name ? " — " + s.shop_name : "") + " · " + (kinds[s.type] || s.type);
        li.appendChild(a); list.appendChild(li);
      });
      list.hidden = found.length === 0;
      input.setAttribute("aria-expanded", found.length ? "true" : "false");
    }
    function move(step) {
      if (!items.length) return;
      active = (active + step + items.length) % items.length;
      Array.prototype.forEach.call(list.children, function (li, i) { li.setAttribute("aria-selected", i === active ? "true" : "false"); });
      input.setAttribute("aria-activedescendant", list.id + "-" + active);
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var q = input.value.trim();
      if (q.length < 2) { close(); return; }
      timer = setTimeout(function () {
        var mine = ++asked;
        fetch(input.dataset.suggest + "?q=" + encodeURIComponent(q), {headers: {Accept: "application/json"}})
          .then(function (r) { return r.ok ? r.json() : {suggestions: []}; })
          .then(function (body) { if (mine === asked && input.value.trim() === q) show(body.suggestions); })
          .catch(function () { if (mine === asked) close(); });
      }, 120);
    });
    function reopen() {
      if (!items.length) return;
      Array.prototype.forEach.call(list.children, function (li) { li.setAttribute("aria-selected", "false"); });
      list.hidden = false; input.setAttribute("aria-expanded", "true");
    }
    input.addEventListener("keydown", function (e) {
      // A closed list (after Escape) is not there: the arrows first open it again, and Enter
      // searches for the typed words instead of opening a suggestion nobody sees.
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        if (list.hidden) { reopen(); } else { move(e.key === "ArrowDown" ? 1 : -1); }
        e.preventDefault();
      }
      // Escape on an open list only closes it (a search field would also clear its words).
      else if (e.key === "Escape") { if (!list.hidden) { e.preventDefault(); } close(); }
      else if (e.key === "Enter" && active >= 0 && !list.hidden) { window.location = items[active].url; e.preventDefault(); }
    });
    input.addEventListener("blur", function () { setTimeout(close, 200); });
  });
})();
