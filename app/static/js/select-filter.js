/* A search box for a long select (one carrying data-filter): typing parts of a name, with or without Vietnamese
   accents, keeps only the options whose name or group (district) holds every word typed: "tan viet binh giang".
   Without this script the select works as it is.
   The folding matches app/text.py `fold`: đ -> d, accents dropped (NFD, marks removed), spaces single, lower case. */
(function () {
  "use strict";

  function fold(text) {
    return text.replace(/đ/g, "d").replace(/Đ/g, "D").normalize("NFD").replace(/\p{M}/gu, "")
      .replace(/\s+/g, " ").trim().toLowerCase();
  }

  function enhance(select, index) {
    var groups = [];  // [{label, options: [[option, folded text]]}]; options outside a group have label null
    var blank = null;
    Array.prototype.forEach.call(select.children, function (child) {
      if (child.tagName === "OPTGROUP") {
        groups.push({label: child.label, options: Array.prototype.map.call(child.children, function (option) {
          return [option, fold(option.text + " " + child.label)];
        })});
      } else if (child.value === "" && blank === null) {
        blank = child;
      } else {
        groups.push({label: null, options: [[child, fold(child.text)]]});
      }
    });

    var id = (select.id || "select-" + index) + "-filter";
    var field = document.createElement("div");
    field.className = "select-filter";
    var label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = select.getAttribute("data-filter");
    var box = document.createElement("input");
    box.type = "search";
    box.id = id;
    box.autocomplete = "off";
    box.setAttribute("aria-controls", select.id);
    var found = document.createElement("p");
    found.className = "hint";
    found.id = id + "-found";
    found.setAttribute("aria-live", "polite");
    box.setAttribute("aria-describedby", found.id);
    field.appendChild(label);
    field.appendChild(box);
    field.appendChild(found);
    select.parentNode.insertBefore(field, select);

    box.addEventListener("input", function () {
      var query = fold(box.value);
      var words = query ? query.split(" ") : [];
      var chosen = select.value;
      var count = 0;
      select.textContent = "";
      if (blank) { select.appendChild(blank); }
      groups.forEach(function (group) {
        var matching = group.options.filter(function (pair) {
          return words.every(function (word) { return pair[1].indexOf(word) !== -1; });
        });
        if (!matching.length) { return; }
        var parent = select;
        if (group.label !== null) {
          parent = document.createElement("optgroup");
          parent.label = group.label;
          select.appendChild(parent);
        }
        matching.forEach(function (pair) { parent.appendChild(pair[0]); });
        count += matching.length;
      });
      // A choice hidden by the search is not silently replaced: the blank option, or nothing, is chosen.
      select.value = chosen;
      if (select.value !== chosen && blank) { select.value = ""; }
      found.textContent = query ? select.getAttribute("data-filter-found").replace("%(count)s", count) : "";
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("select[data-filter]"), enhance);
})();
