// Applies a theme chosen earlier with the toggle; without one, CSS follows the system.
try {
  var theme = localStorage.getItem("edge-arena:theme");
  if (theme === "light" || theme === "dark") document.documentElement.dataset.theme = theme;
} catch (e) {}
