// A rich text box whose Draftail editor is drawn the first time the box is shown: when the section holding it is
// opened, wherever the box is on the page (cms/draftail.py, LazyDraftailRichTextArea). Each Draftail editor, as it is
// drawn, asks where its first line is and so makes the browser lay out the whole page, which Wagtail is still
// filling: on a 250-question form definition, 12 section guidance boxes cost 1.8 s of the opening that way, all in
// sections that start collapsed (docs/performance.md). Until it is drawn the box is its hidden input, with the value
// Wagtail's own editor would post, and its words as plain text, so the page still holds them. Wagtail's own editor
// is then drawn in its place, with the value of that moment. What Wagtail asks of a box meanwhile (its value, its
// state, its label, focus) is answered from the input, by Wagtail's own widget where one can answer without an
// editor.
(() => {
  // Shown anywhere on the page, not only on screen: a screen reader's reading or a search of the page reaches it.
  // The admin's page scrolls inside an element of its own, whose edges clip what the observer sees unless
  // scrollMargin widens them too (a browser without it draws a box as it scrolls into view).
  const THE_WHOLE_PAGE = "100000px";

  const isEditorState = (state) => Boolean(state && typeof state.getCurrentContent === "function");

  // One observer for every box still waiting; a box in a collapsed section is not drawn, so it meets no part of the
  // page until the section opens. The observer asks the browser nothing it has not worked out already.
  const waiting = new Map();
  let observer = null;
  const whenShown = (element, draw) => {
    if (!("IntersectionObserver" in window)) {
      draw();
      return;
    }
    observer =
      observer ||
      new IntersectionObserver(
        (entries) => {
          entries.forEach((entry) => {
            if (!entry.isIntersecting || !waiting.has(entry.target)) return;
            const drawIt = waiting.get(entry.target);
            stopWaiting(entry.target);
            try {
              drawIt();
            } catch (error) {
              console.error(error); // as Wagtail does for a widget that fails to draw; the other boxes still draw
            }
          });
        },
        { rootMargin: THE_WHOLE_PAGE, scrollMargin: THE_WHOLE_PAGE },
      );
    waiting.set(element, draw);
    observer.observe(element);
  };
  const stopWaiting = (element) => {
    if (waiting.delete(element)) observer.unobserve(element);
  };

  const paragraphsOf = (value) => {
    let raw = null;
    try {
      raw = JSON.parse(value);
    } catch {
      raw = null;
    }
    return ((raw && raw.blocks) || []).map((block) => block.text || "").filter((text) => text.trim());
  };

  class BoundLazyDraftailRichTextArea {
    constructor(widget, container, name, id, initialState, parentCapabilities, options) {
      Object.assign(this, { widget, container, name, id, parentCapabilities, options, drawn: null });
      if (isEditorState(initialState)) {
        // Handed an editor's state (a block duplicated or split): the block is being worked on, draw it now.
        this.draw(initialState);
        return;
      }
      this.input = document.createElement("input");
      this.input.type = "hidden";
      this.input.id = id;
      this.input.name = name;
      Object.entries((options && options.attributes) || {}).forEach(([key, value]) => {
        this.input.setAttribute(key, `${value}`);
      });
      this.words = document.createElement("div");
      this.words.className = "portal-lazy-rich-text";
      this.words.setAttribute("aria-hidden", "true");
      this.hold(initialState);
      container.append(this.input, this.words);
      // Wagtail's widget for an input it did not draw: it answers from the input alone, with no editor.
      this.undrawn = widget.getByName(name, container);
      whenShown(this.words, () => this.draw());
    }

    // The value the form posts, and its words as the box shows them until it is drawn.
    hold(value) {
      this.input.value = value;
      this.words.replaceChildren(
        ...paragraphsOf(value).map((text) => {
          const paragraph = document.createElement("p");
          paragraph.textContent = text;
          return paragraph;
        }),
      );
    }

    draw(editorState) {
      if (this.drawn) return this.drawn;
      const { container, name, id, parentCapabilities, options } = this;
      if (!this.input) {
        this.drawn = this.widget.render(container, name, id, editorState, parentCapabilities, options);
        return this.drawn;
      }
      stopWaiting(this.words);
      const { input, words } = this;
      const invalid = input.getAttribute("aria-invalid") === "true";
      // Draftail finds its input by id, so the placeholder leaves first. Should the editor fail to draw, the
      // placeholder goes back, and whatever the failed render left goes: the form posts the stored value, once,
      // rather than nothing (a save would wipe the text) or half an editor's.
      const after = words.nextSibling;
      const had = new Set(container.childNodes);
      input.remove();
      words.remove();
      let drawn;
      try {
        drawn = this.widget.render(container, name, id, input.value, parentCapabilities, options);
      } catch (error) {
        [...container.childNodes].filter((node) => !had.has(node)).forEach((node) => node.remove());
        container.insertBefore(input, after);
        container.insertBefore(words, after);
        throw error;
      }
      this.drawn = drawn;
      this.input = null;
      this.undrawn = null;
      if (invalid) this.drawn.setInvalid(true);
      return this.drawn;
    }

    current() {
      return this.drawn || this.undrawn;
    }

    getValue() {
      return this.current().getValue();
    }

    getState() {
      // Before it is drawn, the raw value: Wagtail's render takes that as well as an editor's state.
      return this.drawn ? this.drawn.getState() : this.input.value;
    }

    setState(state) {
      if (this.drawn || isEditorState(state)) {
        this.draw(state).setState(isEditorState(state) ? state : this.editorStateOf(state));
      } else {
        this.hold(state);
      }
    }

    editorStateOf(value) {
      return window.Draftail.createEditorStateFromRaw(JSON.parse(value));
    }

    setInvalid(invalid) {
      this.current().setInvalid(invalid);
    }

    getTextLabel(opts) {
      return this.current().getTextLabel(opts);
    }

    focus(opts) {
      this.draw().focus(opts);
    }

    setCapabilityOptions(capability, options) {
      // Wagtail has already changed the capabilities it handed over, which the editor reads when drawn.
      if (this.drawn) this.drawn.setCapabilityOptions(capability, options);
    }
  }

  class LazyDraftailRichTextArea {
    constructor(options) {
      this.widget = new window.draftail.DraftailRichTextArea(options);
    }

    render(container, name, id, initialState, parentCapabilities, options = {}) {
      return new BoundLazyDraftailRichTextArea(
        this.widget,
        container,
        name,
        id,
        initialState,
        parentCapabilities,
        options,
      );
    }

    getByName(name, container) {
      return this.widget.getByName(name, container);
    }
  }

  window.telepath.register("cms.widgets.LazyDraftailRichTextArea", LazyDraftailRichTextArea);
})();
