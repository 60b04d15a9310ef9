// The page of an import that has not finished: every 5 seconds, fetch the page again and,
// once the import has finished, say so and offer the report. The page is never reloaded
// by itself (a reader keeps their place); without JavaScript, "Refresh now" does the same.
const box = document.querySelector("[data-import-pending]");

async function check() {
  try {
    const response = await fetch(box.dataset.importPending, { credentials: "same-origin" });
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    if (response.ok && !page.querySelector("[data-import-pending]")) {
      box.querySelector("[data-import-message]").textContent = box.dataset.finishedText;
      box.querySelector("[data-import-link]").textContent = box.dataset.reportText;
      return;
    }
  } catch {
    // A network hiccup: try again at the next tick.
  }
  setTimeout(check, 5000);
}

if (box) {
  // A small import is done in a second or two: look soon, then every 5 seconds.
  setTimeout(check, 2000);
}
