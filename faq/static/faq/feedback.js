// "Was this page useful?": sends the vote and the comment without leaving the page.
// The page may come from the page cache, without a CSRF token. The vote's endpoint needs none; the comment's does,
// so the script first asks the feedback page (the comment form's action) for one, which also sets the CSRF cookie.
// Without this script (or if the server fails) the vote form posts as usual, the server stores the vote and redirects
// back to the page, which then shows the comment form with a token of its own. When the request never reaches the
// server (no connection), a plain post would only land on the browser's offline page: the script stays on the page
// and says so, and the words typed stay in the box.

const NOT_SENT_VOTE = "Your answer has not been sent. Check your connection, then select Yes, Neutral or No again.";
const NOT_SENT_COMMENT = "Your comment has not been sent. Check your connection, then select Send comment again.";

// fetch() rejects only when no response came back; a response of any status resolves.
class NoConnection extends Error {}

function send(url, options) {
  return fetch(url, { credentials: "same-origin", ...options }).catch(() => {
    throw new NoConnection();
  });
}

function fetchToken(url) {
  return send(url, { headers: { Accept: "application/json" } })
    .then((response) => (response.ok ? response.json() : Promise.reject(new Error(response.status))))
    .then((data) => data.csrf_token);
}

function setToken(form, token) {
  let input = form.querySelector("input[name=csrfmiddlewaretoken]");
  if (!input) {
    input = document.createElement("input");
    input.type = "hidden";
    input.name = "csrfmiddlewaretoken";
    form.prepend(input);
  }
  input.value = token;
}

function post(form, extra) {
  const body = new FormData(form);
  for (const [name, value] of Object.entries(extra || {})) body.set(name, value);
  // getAttribute: the comment form has an input named "action", which shadows form.action.
  return send(form.getAttribute("action"), {
    method: "POST",
    body,
    headers: { Accept: "application/json" },
  }).then((response) => response.json().then((data) => ({ ok: response.ok, data })));
}

function submitPlainly(form, extra) {
  for (const [name, value] of Object.entries(extra || {})) {
    const input = document.createElement("input");
    input.type = "hidden";
    input.name = name;
    input.value = value;
    form.appendChild(input);
  }
  HTMLFormElement.prototype.submit.call(form);
}

// The page has no error message until there is an error (see comment_field.html): it is made here, between the
// hint and the box, as the server's page has it.
function errorMessage(textarea) {
  const error = document.createElement("p");
  error.id = "feedback-comment-error";
  error.className = "govuk-error-message";
  error.dataset.feedbackError = "";
  const prefix = document.createElement("span");
  prefix.className = "govuk-visually-hidden";
  prefix.textContent = "Error:";
  const text = document.createElement("span");
  text.dataset.feedbackErrorText = "";
  error.append(prefix, " ", text);
  textarea.before(error);
  return error;
}

function showError(commentForm, message) {
  const group = commentForm.querySelector("[data-feedback-group]");
  const textarea = commentForm.querySelector("textarea");
  const error = commentForm.querySelector("[data-feedback-error]") || errorMessage(textarea);
  const summary = commentForm.querySelector("[data-feedback-summary]");
  group.classList.add("govuk-form-group--error");
  textarea.classList.add("govuk-textarea--error");
  textarea.setAttribute("aria-describedby", "feedback-comment-hint feedback-comment-info feedback-comment-error");
  error.querySelector("[data-feedback-error-text]").textContent = message;
  summary.querySelector("[data-feedback-summary-text]").textContent = message;
  summary.hidden = false;
  summary.focus();
}

// The fieldset's descriptions (aria-describedby) with `id` added or taken out, the others kept.
function describedBy(fieldset, id, on) {
  const ids = (fieldset.getAttribute("aria-describedby") || "").split(/\s+/).filter((each) => each && each !== id);
  if (on) ids.push(id);
  if (ids.length) fieldset.setAttribute("aria-describedby", ids.join(" "));
  else fieldset.removeAttribute("aria-describedby");
}

// Under the question, as GOV.UK places an error in a fieldset, with the red bar of a group in error beside it; read
// out at once, as the page does not change.
function showVoteError(voteForm) {
  const legend = voteForm.querySelector("legend");
  let error = voteForm.querySelector("[data-feedback-vote-error]");
  if (!error) {
    error = document.createElement("p");
    error.id = "feedback-vote-error";
    error.className = "govuk-error-message";
    error.dataset.feedbackVoteError = "";
    error.setAttribute("role", "alert");
    legend.after(error);
  }
  voteForm.classList.add("govuk-form-group--error");
  describedBy(voteForm.querySelector("fieldset"), error.id, true);
  error.textContent = "";
  const prefix = document.createElement("span");
  prefix.className = "govuk-visually-hidden";
  prefix.textContent = "Error:";
  error.append(prefix, " ", NOT_SENT_VOTE);
}

// A vote sent again starts without the last one's error: it comes back only if this one fails too.
function clearVoteError(voteForm) {
  const error = voteForm.querySelector("[data-feedback-vote-error]");
  if (!error) return;
  describedBy(voteForm.querySelector("fieldset"), error.id, false);
  voteForm.classList.remove("govuk-form-group--error");
  error.remove();
}

function enhance(root) {
  const voteForm = root.querySelector("[data-feedback-vote]");
  const commentForm = root.querySelector("[data-feedback-comment]");
  const thanks = root.querySelector("[data-feedback-thanks]");
  // A double click sends once: a press while the form's last send is on its way is ignored (a first vote's two posts,
  // both sent before the first answer set the session's cookie, were stored as two votes). Not GOV.UK's
  // data-prevent-double-click: these forms stay on the page, and it would ignore, for a second, a press that sends
  // again after a quick error ("Check your connection", an empty comment).
  let voteSending = false;
  let commentSending = false;

  if (voteForm) {
    voteForm.addEventListener("submit", (event) => {
      event.preventDefault();
      if (voteSending) return;
      voteSending = true;
      const rating = event.submitter ? event.submitter.value : "";
      clearVoteError(voteForm);
      const tokenReady = commentForm
        ? fetchToken(commentForm.getAttribute("action")).then((token) => setToken(commentForm, token))
        : Promise.resolve();
      tokenReady
        .then(() => post(voteForm, { rating }))
        .then(({ ok, data }) => {
          // A refused vote ("too-many": a lot of feedback from this address this hour) is said in place of the
          // thanks; sending the form again would only be refused again.
          if (!ok && data.status !== "too-many") throw new Error(data.status);
          voteForm.remove();
          thanks.textContent = data.message;
          thanks.hidden = false;
          if (ok && commentForm) commentForm.hidden = false;
          thanks.focus();
        })
        .catch((error) =>
          error instanceof NoConnection ? showVoteError(voteForm) : submitPlainly(voteForm, { rating }),
        )
        .finally(() => {
          voteSending = false;
        });
    });
  }

  if (commentForm) {
    commentForm.addEventListener("submit", (event) => {
      event.preventDefault();
      if (commentSending) return;
      commentSending = true;
      post(commentForm)
        .then(({ ok, data }) => {
          // No vote of this browser's is stored (its session ended since it voted): the server's page asks the
          // question again and keeps the words, and is never thanked for a comment that was not kept.
          if (data.status === "no-vote") {
            submitPlainly(commentForm);
            return;
          }
          if (!ok && data.errors && data.errors.comment) {
            showError(commentForm, data.errors.comment[0]);
            return;
          }
          if (!ok) throw new Error(data.status);
          commentForm.remove();
          thanks.textContent = data.message;
          thanks.hidden = false;
          thanks.focus();
        })
        .catch((error) =>
          error instanceof NoConnection ? showError(commentForm, NOT_SENT_COMMENT) : submitPlainly(commentForm),
        )
        .finally(() => {
          commentSending = false;
        });
    });
  }
}

document.querySelectorAll("[data-feedback]").forEach(enhance);
