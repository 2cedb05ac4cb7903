// Which exercises the learner has passed, kept in this browser (localStorage), as the
// snippets' edits are: a passed Check marks its exercise done, and the course index
// shows each page's exercises as done or not. A later failing Check does not undo it:
// the exercise was solved once, as a course's progress page counts it.

const PREFIX = "prefect-in-practice:exercise:";

/** Mark the exercise of snippet `id` as passed. */
export function markPassed(id) {
  try {
    localStorage.setItem(PREFIX + id, JSON.stringify({ passedAt: Date.now() }));
  } catch {
    // Storage full or refused (a private window): the verdict still shows on the page.
  }
}

function passed(id) {
  try {
    return Boolean(JSON.parse(localStorage.getItem(PREFIX + id) || "null")?.passedAt);
  } catch {
    return false;
  }
}

/** Fill in every `[data-exercise]` of the course index: its state, and its page's count. */
export function showProgress(root = document) {
  for (const item of root.querySelectorAll("[data-exercise]")) {
    const done = passed(item.dataset.exercise);
    item.classList.toggle("is-done", done);
    const state = item.querySelector("[data-exercise-state]");
    if (state) state.textContent = done ? "done" : "not done yet";
  }
  for (const list of root.querySelectorAll("[data-exercises]")) {
    const items = list.querySelectorAll("[data-exercise]");
    const count = list.querySelector("[data-exercises-done]");
    if (count) count.textContent = `${[...items].filter((i) => i.classList.contains("is-done")).length} of ${items.length} done`;
  }
}
