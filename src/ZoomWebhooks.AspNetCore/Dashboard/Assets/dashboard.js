// The overview refreshes itself every data-refresh seconds while it is visible. No inline script:
// the pages' CSP allows scripts from this origin only.
(function () {
  var seconds = parseInt(document.body.getAttribute("data-refresh") || "0", 10);
  if (seconds > 0) {
    setInterval(function () {
      if (document.visibilityState === "visible") { location.reload(); }
    }, seconds * 1000);
  }
})();
