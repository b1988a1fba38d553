"""Four short made-up news articles about one harbor, for the scale-out core's tests.

Between them: an edited repeat (Ruiz, "Monday morning" / "Monday"), an excerpt printed before its
whole quote and the whole split around "Weller said" (Weller), an excerpt after its whole (Ruiz),
a second quote of the same speaker, anonymous sources in two articles saying the same words,
and an undated article.
"""

import datetime as dt

from quotes.article import Article

HARBOR = [
    Article("harbor-2", '''The harbor will reopen on Monday, Mayor Ana Ruiz told reporters.

"We will reopen the harbor to fishing boats on Monday, once the divers have checked the piers," said Ruiz.

Port director Tom Weller was more cautious. "The insurance question is still open, and I will not pretend otherwise to anyone here," Weller said.''',
            url="https://example.net/harbor-2", outlet="Bay News", title="Mayor: harbor opens Monday",
            published=dt.date(2024, 3, 5)),
    Article("harbor-3", '''Port director Tom Weller spoke at the council meeting on Tuesday.

"The insurance question is still open," Weller said, "and I will not pretend otherwise to anyone here."

"Once the divers have checked the piers," Mayor Ana Ruiz said, the boats can go out.''',
            outlet="Council Notes", title="Council meets"),
    Article("harbor-1", '''Mayor Ana Ruiz said the harbor would reopen next week after the storm damage was repaired.

"We will reopen the harbor to fishing boats on Monday morning, once the divers have checked the piers," Ruiz said.

"Nobody should take a boat out before then," she added.

A city engineer, who asked not to be named, said: "The north pier is worse than anyone expected."''',
            url="https://example.org/harbor-1", outlet="Coast Daily", title="Harbor to reopen",
            published=dt.date(2024, 3, 4)),
    Article("harbor-0", '''Port director Tom Weller met insurers on Friday.

"I will not pretend otherwise to anyone here," Tom Weller told the Gazette.

A city engineer said: "The north pier is worse than anyone expected."''',
            url="https://example.com/harbor-0", outlet="Gazette", title="Port meets insurers",
            published=dt.date(2024, 3, 1)),
]
