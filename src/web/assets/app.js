// Progressive enhancement only: every journey works without this file.
import { initAll } from '/assets/nhsuk-frontend.min.js';

initAll();

// The specification form: with JavaScript, each requirement shows only the fields its chosen kind of
// check needs (without it, every kind's fields are shown, each under its own heading).
for (const row of document.querySelectorAll('.app-row')) {
  const radios = [...row.querySelectorAll('input[type="radio"][name$="-type"]')];
  const groups = [...row.querySelectorAll('.app-criterion[data-criterion]')];
  if (!radios.length || !groups.length) continue;
  const show = () => {
    const chosen = radios.find((r) => r.checked)?.value;
    for (const group of groups) {
      group.hidden = group.dataset.criterion !== chosen;
      group.classList.toggle('app-criterion--chosen', group.dataset.criterion === chosen);
    }
  };
  for (const radio of radios) radio.addEventListener('change', show);
  show();
}
