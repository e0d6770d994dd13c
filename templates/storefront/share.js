document.querySelectorAll("[data-share]").forEach(function (button) {
  if (!navigator.share) { return; }
  button.hidden = false;
  button.addEventListener("click", function () {
    navigator.share({title: button.dataset.title, url: button.dataset.url}).catch(function () {});
  });
});
