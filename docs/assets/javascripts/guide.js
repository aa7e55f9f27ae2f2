// Reader conveniences that need no build hook, so every generator gives them.
(function () {
  "use strict";

  // The tab label of an example's key ("dotnet" -> ".NET"), read from the
  // tabs that show the example's folder, examples/<key>/.
  function labelOf(key) {
    var found = null;
    document.querySelectorAll(".tabbed-set").forEach(function (set) {
      var labels = set.querySelectorAll(":scope > .tabbed-labels > label");
      var blocks = set.querySelectorAll(":scope > .tabbed-content > .tabbed-block");
      blocks.forEach(function (block, i) {
        var folder = block.querySelector('code.example-folder[data-path="examples/' + key + '/"]');
        if (folder && labels[i] && !found) found = labels[i].textContent.trim();
      });
    });
    return found;
  }

  // ?lang=go (an example's folder name, or a tab label) selects that
  // language in every tab group of the page.
  function selectLanguage() {
    var wanted = new URLSearchParams(window.location.search).get("lang");
    if (!wanted) return;
    var label = (labelOf(wanted.toLowerCase()) || wanted).toLowerCase();
    document.querySelectorAll(".tabbed-set").forEach(function (set) {
      set.querySelectorAll(":scope > .tabbed-labels > label").forEach(function (tab) {
        if (tab.textContent.trim().toLowerCase() !== label) return;
        var input = document.getElementById(tab.htmlFor);
        if (input && !input.checked) {
          input.checked = true;
          input.dispatchEvent(new Event("change", { bubbles: true }));
        }
      });
    });
  }

  // An example's folder becomes a link into the repository when the site has
  // one (the theme's repository link in the header); otherwise it stays a path.
  function linkFolders() {
    var source = document.querySelector("a.md-source");
    if (!source) return;
    var repo = source.href.replace(/\/+$/, "");
    document.querySelectorAll("code.example-folder[data-path]").forEach(function (code) {
      if (code.parentElement.tagName === "A") return;
      var link = document.createElement("a");
      link.href = repo + "/tree/HEAD/" + code.dataset.path;
      code.replaceWith(link);
      link.appendChild(code);
    });
  }

  // A heading inside one language's tab (from an example's README) is not a
  // section of the page: keep it out of the table of contents.
  function pruneTableOfContents() {
    document.querySelectorAll('.md-nav--secondary a.md-nav__link[href^="#"]').forEach(function (link) {
      var target = document.getElementById(decodeURIComponent(link.hash.slice(1)));
      if (target && target.closest(".tabbed-block")) link.closest("li").remove();
    });
  }

  function run() {
    selectLanguage();
    linkFolders();
    pruneTableOfContents();
  }

  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(run);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", run);
  } else {
    run();
  }
})();
