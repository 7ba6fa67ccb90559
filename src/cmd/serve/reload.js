// clinsafe serve: reload the page when the project is rendered again.
// Only in pages that `clinsafe serve` sends; files written by `render` have no script.
(function () {
  var shown = document.currentScript.getAttribute("data-version");
  function poll() {
    fetch("/__clinsafe/version", { cache: "no-store" })
      .then(function (r) { return r.text(); })
      .then(function (now) { if (now !== shown) { location.reload(); } else { later(); } })
      .catch(later);
  }
  function later() { setTimeout(poll, 300); }
  later();
})();
