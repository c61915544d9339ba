export default function (component) {
  const { setTriggerValue } = component;
  const shared = globalThis.kgPresentKeys || (globalThis.kgPresentKeys = { listener: null });
  if (shared.listener) { document.removeEventListener("keydown", shared.listener); }
  const listener = function (event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey ||
        event.isComposing) { return; }
    const target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)
        || (target.closest && target.closest("[role=slider],[role=listbox],[role=dialog]")))) {
      return;
    }
    let move = null;
    if (event.key === "ArrowRight" || event.key === "PageDown") { move = "next"; }
    if (event.key === "ArrowLeft" || event.key === "PageUp") { move = "back"; }
    if (move === null) { return; }
    event.preventDefault();
    setTriggerValue("key", move);
  };
  shared.listener = listener;
  document.addEventListener("keydown", listener);
  return function () {
    document.removeEventListener("keydown", listener);
    if (shared.listener === listener) { shared.listener = null; }
  };
}
