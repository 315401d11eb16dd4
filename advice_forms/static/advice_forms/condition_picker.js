// The form-definition editor's conditions, picked rather than typed. Each rule's "key" and "answer"
// text boxes stay in the form, hidden, and keep the stored shape ({field_key, operator, value}); beside them, a
// list of the earlier yes/no and choice questions, by their labels, and a list of the chosen question's answers.
// A question not yet saved gets its key here as the server will give it (blocks.key_from_label and
// _settle_key), shown in its empty key box, so a rule can use a question added in the same sitting. Everything
// is read again from the page as the designer types, adds, moves or deletes blocks.
(function () {
  "use strict";
  var script = document.currentScript;
  var optionsUrl = script && script.dataset.optionsUrl;
  var SOURCES = { yes_no: true, single_choice: true, multiple_choice: true };
  var YES_NO = [
    { value: "yes", label: "Yes" },
    { value: "no", label: "No" },
  ];
  var RULE_KEY = /^(.*)-value-condition-rules-(\d+)-value-field_key$/;
  var lists = {}; // dropdown list id -> [{value, label}]
  var asked = {};
  var saved = null; // block id -> key, for the questions that had a key when the page was drawn
  var form = null;

  // --- keys, as the server makes them ---------------------------------------------------------------

  function keyFromLabel(label, fallback) {
    // Django's slugify, then key_from_label's rules: a label with no letter or digit a key can hold ("???", or one
    // in another alphabet, "Да или нет?") gives `fallback`, made from the block's place as the server makes it.
    var slug = (label || "")
      .normalize("NFKD")
      .replace(/[^\x00-\x7f]/g, "")
      .toLowerCase()
      .replace(/[^\w\s-]/g, "")
      .replace(/[-\s]+/g, "-")
      .replace(/^[-_]+|[-_]+$/g, "");
    var key = slug.replace(/-/g, "_").replace(/^_+|_+$/g, "").slice(0, 50).replace(/_+$/, "");
    if (!key) return fallback;
    if (!/^[a-z]/.test(key)) key = "q_" + key;
    return key;
  }

  function unique(base, taken) {
    var key = base;
    var n = 2;
    while (taken[key]) {
      key = base + "_" + n;
      n += 1;
    }
    return key;
  }

  function settleKeys(sections) {
    // Each question's key as check_sections settles it: the typed ones reserved first, then one made from each label
    // in page order, or from its place (section_2_question_3, counted as the server counts, guidance included). A
    // question with no label yet has no key (the server waits for the label). `sections`: [{fields: [{type, label,
    // typed}]}], live blocks only; each question gets its `key`.
    var reserved = {};
    sections.forEach(function (s) {
      s.fields.forEach(function (q) {
        if (q.typed && q.type !== "guidance") reserved[q.typed] = true;
      });
    });
    var taken = {};
    sections.forEach(function (s, si) {
      s.fields.forEach(function (q, fi) {
        if (q.type === "guidance") return;
        var fallback = "section_" + (si + 1) + "_question_" + (fi + 1);
        q.key = q.typed || (q.label ? unique(keyFromLabel(q.label, fallback), Object.assign({}, taken, reserved)) : "");
        if (q.key) taken[q.key] = true;
      });
    });
  }

  function optionValues(options) {
    // The values _check_options gives a question's own options ([{label, value}], live ones, in order): the typed
    // ones kept, one made from each label, or option_N by its place, clear of the values typed and made before it.
    var typed = {};
    options.forEach(function (o) {
      if (o.value) typed[o.value] = true;
    });
    var seen = {};
    return options.map(function (o, n) {
      var value = o.value || keyFromLabel(o.label, "");
      if (!value) value = unique("option_" + (n + 1), Object.assign({}, typed, seen));
      seen[value] = true;
      return value;
    });
  }

  // --- reading the page ---------------------------------------------------------------------------

  // name -> the form's controls with that name or id, while one pass reads the page (see `reading`). Asking the
  // form for each name in turn walked all its controls again whenever the page had changed since the last ask (the
  // browser's name cache is dropped on each insertion, and a pass inserts the pickers): seconds on opening a
  // 250-question form.
  var named = null;

  function reading(read) {
    named = new Map();
    Array.prototype.forEach.call(form.elements, function (el) {
      [el.name, el.id].forEach(function (name, n) {
        if (!name || (n === 1 && name === el.name)) return;
        if (!named.has(name)) named.set(name, []);
        named.get(name).push(el);
      });
    });
    try {
      return read();
    } finally {
      named = null;
    }
  }

  function field(name) {
    if (!named) return form.elements.namedItem(name);
    var found = named.get(name);
    if (!found) return null;
    // Several controls of one name (a group of radios): the form's own answer, a list of them.
    return found.length === 1 ? found[0] : form.elements.namedItem(name);
  }

  function val(name) {
    var el = field(name);
    return el && typeof el.value === "string" ? el.value : "";
  }

  function live(prefix) {
    return val(prefix + "-deleted") !== "1";
  }

  var blocks = []; // the names of every block's "-deleted" input, in page order, as readForm last read them

  function children(pattern) {
    // The live children of a stream or list, in page order (the order the designer sees and the server keeps).
    return blocks
      .map(function (name) {
        var match = pattern.exec(name);
        return match && live(match[1]) ? match[1] : null;
      })
      .filter(Boolean);
  }

  function escapeRe(text) {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }

  function ownOptions(prefix) {
    var items = children(new RegExp("^(" + escapeRe(prefix) + "-value-options-\\d+)-deleted$"));
    var options = items.map(function (item) {
      return { label: val(item + "-value-label").trim(), value: val(item + "-value-value").trim() };
    });
    var values = optionValues(options);
    return options
      .map(function (option, n) {
        return { value: option.label || option.value ? values[n] : "", label: option.label || values[n] };
      })
      .filter(function (option) {
        return option.value;
      });
  }

  function answersOf(question) {
    if (question.type === "yes_no") return YES_NO;
    var list = val(question.prefix + "-value-dropdown_list");
    if (list) {
      if (!lists[list]) fetchLists(list);
      return lists[list] || [];
    }
    return ownOptions(question.prefix);
  }

  function readForm() {
    // Sections and their questions, with each question's key settled as check_sections settles it. The stream's
    // inputs are read once here for the whole form (once a section made opening a long form's editor slow).
    blocks = Array.prototype.map.call(form.querySelectorAll('input[name$="-deleted"]'), function (input) {
      return input.name;
    });
    var sections = children(/^(sections-\d+)-deleted$/).map(function (prefix) {
      var fields = children(new RegExp("^(" + prefix + "-value-fields-\\d+)-deleted$"));
      return {
        prefix: prefix,
        title: val(prefix + "-value-title").trim(),
        fields: fields
          .map(function (fp) {
            return {
              prefix: fp,
              id: val(fp + "-id") || fp,
              type: val(fp + "-type"),
              label: val(fp + "-value-label").trim(),
              typed: val(fp + "-value-key").trim(),
            };
          })
          .filter(function (q) {
            return q.type;
          }),
      };
    });
    settleKeys(sections);
    sections.forEach(function (s) {
      s.fields = s.fields.filter(function (q) {
        return q.type !== "guidance";
      });
      s.fields.forEach(function (q) {
        var keyBox = field(q.prefix + "-value-key");
        if (keyBox && !q.typed && keyBox.placeholder !== q.key) keyBox.placeholder = q.key;
      });
    });
    return sections;
  }

  function earlierQuestions(sections, owner) {
    // The yes/no and choice questions before `owner` (a section's or a question's prefix), grouped by section.
    var groups = [];
    for (var si = 0; si < sections.length; si += 1) {
      var section = sections[si];
      if (section.prefix === owner) break;
      var group = { title: section.title, questions: [] };
      var stop = false;
      for (var fi = 0; fi < section.fields.length; fi += 1) {
        if (section.fields[fi].prefix === owner) {
          stop = true;
          break;
        }
        // A question with no label and no key typed has no key yet (the server waits for its label): nothing to pick.
        if (SOURCES[section.fields[fi].type] && section.fields[fi].key) group.questions.push(section.fields[fi]);
      }
      if (group.questions.length) groups.push(group);
      if (stop) break;
    }
    return groups;
  }

  // --- the lists beside each rule -----------------------------------------------------------------

  function fetchLists(missing) {
    if (!optionsUrl || (missing && asked[missing])) return;
    if (missing) asked[missing] = true;
    fetch(optionsUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.ok ? response.json() : {};
      })
      .then(function (data) {
        lists = data || {};
        schedule();
      })
      .catch(function () {});
  }

  function setOptions(select, items, signature) {
    // items: [{group, options: [{value, text}]}] or [{value, text}]; rebuilt only when they changed.
    if (select.dataset.signature === signature) return;
    select.dataset.signature = signature;
    var chosen = Array.prototype.map.call(select.selectedOptions, function (o) {
      return o.value;
    });
    while (select.firstChild) select.removeChild(select.firstChild);
    items.forEach(function (item) {
      if (item.options) {
        var group = document.createElement("optgroup");
        group.label = item.group;
        item.options.forEach(function (o) {
          group.appendChild(new Option(o.text, o.value));
        });
        select.appendChild(group);
      } else {
        select.appendChild(new Option(item.text, item.value));
      }
    });
    Array.prototype.forEach.call(select.options, function (o) {
      o.selected = chosen.indexOf(o.value) !== -1;
    });
  }

  function setData(element, name, value) {
    if (element.dataset[name] !== value) element.dataset[name] = value;
  }

  function makeSelect(box, suffix, labelText) {
    var select = document.createElement("select");
    select.id = box.id + "-" + suffix;
    select.className = "advice-picker";
    // The label sits in the box's own block: looked for there first, not in the whole form once a rule.
    var selector = 'label[for="' + box.id + '"]';
    var own = box.closest("[data-contentpath]");
    var label = box.id && ((own && own.querySelector(selector)) || form.querySelector(selector));
    if (label) {
      label.htmlFor = select.id;
      label.textContent = labelText;
    } else {
      select.setAttribute("aria-label", labelText);
    }
    box.type = "hidden";
    box.parentNode.insertBefore(select, box);
    var help = box.closest(".w-field") && box.closest(".w-field").querySelector(".w-field__help");
    if (help) help.hidden = true;
    return select;
  }

  function enhance(keyBox) {
    var rule = keyBox.name.replace(/-value-field_key$/, "");
    var valueBox = field(rule + "-value-value");
    var operator = field(rule + "-value-operator");
    if (!valueBox || !operator) return null;
    var picker = {
      owner: RULE_KEY.exec(keyBox.name)[1],
      keyBox: keyBox,
      valueBox: valueBox,
      operator: operator,
      question: makeSelect(keyBox, "picker", "The answer to the question"),
      answer: makeSelect(valueBox, "picker", "Answer"),
    };
    picker.question.addEventListener("change", function () {
      var chosen = picker.question.selectedOptions[0];
      keyBox.value = picker.question.value;
      picker.question.dataset.questionId = (chosen && chosen.dataset.questionId) || "";
      refresh();
    });
    picker.answer.addEventListener("change", function () {
      valueBox.value = Array.prototype.map
        .call(picker.answer.selectedOptions, function (o) {
          return o.value;
        })
        .filter(Boolean)
        .join(", ");
    });
    operator.addEventListener("change", function () {
      refresh();
    });
    keyBox.dataset.picked = "1";
    return picker;
  }

  var pickers = [];

  function update(picker, sections) {
    var groups = earlierQuestions(sections, picker.owner);
    var byId = {};
    var byKey = {};
    groups.forEach(function (g) {
      g.questions.forEach(function (q) {
        byId[q.id] = q;
        byKey[q.key] = q;
      });
    });
    // A question not saved yet: its key follows its label, and so does the rule that uses it.
    var followed = byId[picker.question.dataset.questionId || ""];
    if (followed && !saved[followed.id] && picker.keyBox.value !== followed.key) picker.keyBox.value = followed.key;
    var key = picker.keyBox.value.trim();
    var current = byKey[key];
    // Attributes are written only when they change: each write is a mutation that every observer of the page (the
    // admin's controllers, this picker's own) handles, and a look at the page runs for each keystroke.
    if (current) setData(picker.question, "questionId", current.id);
    var items = [{ value: "", text: "Choose a question" }];
    if (key && !current) {
      // A saved question renamed in the page keeps its rule's old key (the save refuses it, naming this rule).
      var renamed = byId[picker.question.dataset.questionId || ""];
      items.push({
        value: key,
        text: renamed
          ? "“" + (renamed.label || "A question with no label yet") + "” (its key has changed: this rule no longer finds it)"
          : "A question that is not an earlier yes/no or choice question (“" + key + "”)",
      });
    }
    groups.forEach(function (g, n) {
      items.push({
        group: g.title || "Section " + (n + 1),
        options: g.questions.map(function (q) {
          return { value: q.key, text: q.label || "A question with no label yet" };
        }),
      });
    });
    setOptions(picker.question, items, JSON.stringify(items));
    Array.prototype.forEach.call(picker.question.options, function (o) {
      var q = byKey[o.value];
      if (q) setData(o, "questionId", q.id);
      o.selected = o.value === key;
    });

    var many = picker.operator.value === "is_one_of";
    var typed = picker.valueBox.value
      .split(many ? "," : /$^/)
      .map(function (v) {
        return v.trim();
      })
      .filter(Boolean);
    if (!many && picker.valueBox.value.trim()) typed = [picker.valueBox.value.trim()];
    var answers = current ? answersOf(current) : [];
    var known = answers.map(function (a) {
      return a.value;
    });
    var choices = many ? [] : [{ value: "", text: "Choose an answer" }];
    typed.forEach(function (v) {
      if (known.indexOf(v) === -1) {
        // Kept as typed: an answer the question does not have, or the rule's question is not found.
        choices.push({ value: v, text: current ? "“" + v + "”: not an answer to this question" : "“" + v + "”" });
      }
    });
    answers.forEach(function (a) {
      choices.push({ value: a.value, text: a.label });
    });
    if (picker.answer.multiple !== many) {
      picker.answer.multiple = many;
      picker.answer.dataset.signature = "";
    }
    var size = many ? Math.min(Math.max(choices.length, 2), 8) : 0;
    if (picker.answer.size !== size) picker.answer.size = size;
    setOptions(picker.answer, choices, String(many) + JSON.stringify(choices));
    Array.prototype.forEach.call(picker.answer.options, function (o) {
      o.selected = typed.indexOf(o.value) !== -1 || (!typed.length && o.value === "" && !many);
    });
  }

  function refresh() {
    if (form) reading(refreshPage);
  }

  function refreshPage() {
    Array.prototype.forEach.call(form.querySelectorAll('input[name$="-value-field_key"]'), function (box) {
      if (box.dataset.picked || !RULE_KEY.test(box.name)) return;
      var picker = enhance(box);
      if (picker) pickers.push(picker);
    });
    pickers = pickers.filter(function (p) {
      return form.contains(p.keyBox);
    });
    var sections = readForm();
    pickers.forEach(function (p) {
      update(p, sections);
    });
  }

  var timer = null;

  function schedule() {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 120);
  }

  var tries = 0;

  function start() {
    var count = document.querySelector('input[name="sections-count"]');
    form = count && count.form;
    if (!form) {
      // The StreamField is drawn by Wagtail's own script: wait for it (up to a minute on a busy machine).
      tries += 1;
      if (tries < 600) window.setTimeout(start, 100);
      return;
    }
    saved = {};
    reading(readForm).forEach(function (s) {
      s.fields.forEach(function (q) {
        if (q.typed) saved[q.id] = q.key;
      });
    });
    fetchLists();
    refresh();
    form.addEventListener("input", schedule);
    form.addEventListener("change", function (event) {
      if (!event.target.classList.contains("advice-picker")) schedule();
    });
    form.addEventListener("focusin", function (event) {
      if (event.target.classList.contains("advice-picker")) refresh();
    });
    new MutationObserver(function (mutations) {
      var outside = mutations.some(function (m) {
        return !(m.target.closest && m.target.closest(".advice-picker"));
      });
      if (outside) schedule();
    }).observe(form, { childList: true, subtree: true, attributes: true, attributeFilter: ["value"] });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      window.setTimeout(start, 0);
    });
  } else {
    window.setTimeout(start, 0);
  }
})();
