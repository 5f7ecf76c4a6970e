// Resolves the theme before first paint: the choice made with the toggle, or
// else the system's. CSS then only needs `:root[data-theme="dark"]` rules.
(function () {
  var stored = null;
  try {
    stored = localStorage.getItem("edge-arena:theme");
  } catch (e) {}
  var dark = stored ? stored === "dark" : matchMedia("(prefers-color-scheme: dark)").matches;
  document.documentElement.dataset.theme = dark ? "dark" : "light";
})();
