"""Why the loket's tool refuses what someone entered or handed it: one exception for every feature, so that every
page shows a refusal the same way (`ui.forms.show_refusal`) and nothing is written."""


class Refused(ValueError):
    """The input is not acceptable and nothing was written. `problems`: {field: one Dutch sentence that names the
    field as the form or the file names it}; a refusal of the whole input has one problem under the key ''."""

    def __init__(self, problems: dict[str, str] | str):
        self.problems = {"": problems} if isinstance(problems, str) else dict(problems)
        super().__init__(" ".join(self.problems.values()))
