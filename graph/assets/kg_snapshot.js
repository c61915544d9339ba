export default function (component) {
  const { data, parentElement } = component;
  const button = parentElement.querySelector(".kg-snapshot");
  const info = data || {};
  button.dataset.fileName = String(info.file_name || "graph.png");
  button.onclick = function () {
    const view = globalThis.kgGraph;
    if (!view || !view.canvas() || !globalThis.KGView) { return; }
    const out = globalThis.KGView.snapshot(view, {
      title: info.title, subtitle: info.subtitle, legend: globalThis.kgLegendEntries || [] });
    out.toBlob(function (blob) {
      const link = document.createElement("a");
      link.href = URL.createObjectURL(blob);
      link.download = button.dataset.fileName;
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(function () { URL.revokeObjectURL(link.href); }, 10000);
    }, "image/png");
  };
}
