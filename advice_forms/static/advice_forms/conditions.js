// Conditions on the page (advice_forms/form_builder.py, SectionForm): questions that depend on an answer in this
// step show and hide as it changes. Questions under one radio or checkbox sit in GOV.UK's conditional reveal,
// which GOV.UK Frontend's own script opens and closes; the others carry their rules in data-advice-condition.
// Without JavaScript every question the answers on this page can open is shown, with a hint saying when to answer
// it (.advice-no-js-only); the classes that hide the closed ones apply only under govuk-frontend-supported.
// Hiding a question that holds text clears nothing here: a notice says so, and the save asks first.
const form = document.getElementById("advice-step-form");

if (form && document.body.classList.contains("govuk-frontend-supported")) {
  const hiddenAncestor = (element) =>
    element.closest("[hidden], .govuk-radios__conditional--hidden, .govuk-checkboxes__conditional--hidden");

  const valuesOf = (name) => {
    const values = [];
    for (const element of form.elements) {
      if (element.name !== name || hiddenAncestor(element)) continue;
      if (element.type === "radio" || element.type === "checkbox") {
        if (element.checked) values.push(element.value);
      } else if (element.value) {
        values.push(element.value);
      }
    }
    return values;
  };

  const met = (condition) => {
    const results = condition.rules.map((rule) => {
      if ("fixed" in rule) return rule.fixed;
      const hit = valuesOf(rule.name).some((value) => rule.values.includes(value));
      return rule.operator === "is_not" ? !hit : hit;
    });
    return condition.match === "any" ? results.some(Boolean) : results.every(Boolean);
  };

  // What the professional typed or chose: a table's row count (a hidden input) is the page's bookkeeping, not an
  // answer, so a table or group holds text only where one of its cells does (form_builder.hidden_with_text agrees).
  // A file question's saved file is in none of its inputs: the page marks it.
  const holdsText = (container) =>
    container.hasAttribute("data-advice-saved-file") ||
    [...container.querySelectorAll("input, textarea, select")]
      .filter((element) => element.type !== "hidden")
      .some((element) =>
        element.type === "radio" || element.type === "checkbox" ? element.checked : element.value.trim() !== "",
      );

  const labelOf = (container) => {
    const label = container.querySelector("legend, label");
    return label ? label.textContent.replace(/\s*\(optional\)\s*$/, "").trim() : "";
  };

  const notice = form.querySelector("[data-advice-clearing-notice]");
  const noticeWords = form.querySelector("[data-advice-clearing-words]");
  let noticeSays = "";
  const conditionals = [...form.querySelectorAll("[data-advice-condition]")];
  // From here the `hidden` attribute that update() sets shows and hides them.
  for (const container of conditionals) {
    if (container.classList.contains("advice-conditional--hidden")) {
      container.classList.remove("advice-conditional--hidden");
      container.hidden = true;
    }
  }

  const update = () => {
    // Twice: a question may depend on one that has just been shown or hidden.
    for (let pass = 0; pass < 2; pass += 1) {
      for (const container of conditionals) {
        container.hidden = !met(JSON.parse(container.dataset.adviceCondition));
      }
    }
    const hiddenWithText = [...form.querySelectorAll("[data-advice-reveal], [data-advice-condition]")]
      .filter((container) => hiddenAncestor(container))
      .flatMap((container) => [...container.children].filter((child) => child.classList.contains("govuk-form-group")))
      .filter(holdsText);
    const names = changed ? hiddenWithText.map((group) => `“${labelOf(group)}”`).join(", ") : "";
    // Written only when its words change: each write is announced again.
    if (notice && noticeWords && names !== noticeSays) {
      noticeSays = names;
      const warning = noticeWords.content.cloneNode(true);
      warning.querySelector("[data-advice-clearing-list]").textContent = names;
      notice.replaceChildren(...(names ? [warning] : []));
    }
  };

  let changed = false;
  form.addEventListener("change", () => {
    changed = true;
    window.setTimeout(update, 0);
  });
  window.addEventListener("pageshow", () => window.setTimeout(update, 0));
  update();
}
