"""The diagrams of whole layers, drawn as SVG from real arrays.

What a layer returns for each of its flags, and how layers are joined: stacked, bidirectional,
encoder to decoder.

Every shape a figure labels is the ``.shape`` of an array that `glossary.reference` returned for the
same layers and flags, and every timestep drawn is one of those arrays' timesteps; ``diagrams.py``
writes them, and ``tests/test_diagrams.py`` compares the labels with what Keras returns.
"""

from __future__ import annotations

import numpy as np

from generators.figures_cell import BATCH, FEATURES, UNITS, lstm_weights
from generators.svg_figure import (
    BACKWARD,
    CELL,
    CELL_FILL,
    FILL,
    FRAME,
    HIDDEN,
    INK,
    INPUT,
    MONO,
    MUTED,
    Figure,
    shape_label,
)
from glossary.reference import lstm

STACK_TIMESTEPS = 7
STACK_UNITS = (8, 6, 4)
"""The stack of `docs/stacked-layers.md`: ``LSTM(8)``, ``LSTM(6)``, ``LSTM(4)`` over 7 timesteps."""


# ---------------------------------------------------------------------------------------------
# 5. A stack of LSTM layers


def stacked_lstm() -> str:
    """``stacked-lstm.svg``: the stack of the Stacked LSTMs page, its output shapes computed."""
    x = np.zeros((BATCH, STACK_TIMESTEPS, FEATURES), "float32")  # (batch, timesteps, features)
    layers = []  # (units, return_sequences, output), bottom layer first
    sequence = x
    for index, units in enumerate(STACK_UNITS):
        return_sequences = index < len(STACK_UNITS) - 1
        output = lstm(sequence, *lstm_weights(sequence.shape[-1], units), return_sequences=return_sequences)
        layers.append((units, return_sequences, output))
        sequence = output

    timesteps = x.shape[1]
    shown = list(range(1, timesteps + 1)) if timesteps <= 4 else [1, 2, 3, None, timesteps]
    figure = Figure(850, 430, f"A stack of {len(layers)} LSTM layers unrolled over {timesteps} timesteps")

    width, height, gap, gap_skip = 64, 46, 40, 30
    columns, left = [], 60
    for step in shown:
        columns.append((step, left))
        left += (width if step is not None else gap_skip) + gap
    right_edge = columns[-1][1] + width
    row_tops = [300 - 100 * level for level in range(len(layers))]  # bottom layer lowest

    figure.line(20, 22, 44, 22, CELL, arrow=True)
    figure.text(50, 26, "cell state (stays inside its layer)", 12, anchor="start", color=MUTED)
    figure.line(262, 22, 286, 22, HIDDEN, arrow=True)
    figure.text(292, 26, "hidden state", 12, anchor="start", color=MUTED)

    for level, ((units, return_sequences, output), top) in enumerate(zip(layers, row_tops, strict=True)):
        bottom = top + height
        for position, (step, box) in enumerate(columns):
            if step is None:
                figure.text(box + gap_skip / 2, top + height / 2 + 5, "…", 18, color=MUTED)
                continue
            centre = box + width / 2
            figure.rect(box, top, width, height, CELL_FILL, radius=7, data_role=f"layer-{level + 1}")
            figure.text(centre, top + 28, f"LSTM({units})", 12)
            below = bottom + 54
            if level == 0:
                figure.line(centre, below, centre, bottom, INPUT, arrow=True)
                figure.text(centre, below + 18, f"x_{{{step}}}", 14, color=INPUT)
            else:
                figure.line(centre, below, centre, bottom, HIDDEN, arrow=True)
            if position < len(columns) - 1:
                skipping = columns[position + 1][0] is None or step is None
                end = columns[position + 1][1] if not skipping else box + width + gap
                dashed = columns[position + 1][0] is None
                figure.line(box + width, top + 13, end, top + 13, CELL, 1.5, arrow=True, dashed=dashed)
                figure.line(
                    box + width, bottom - 13, end, bottom - 13, HIDDEN, 1.5, arrow=True, dashed=dashed
                )
        # The skipped column: the states come out of it into the last box.
        skipped = [box for step, box in columns if step is None]
        for box in skipped:
            end = box + gap_skip + gap
            figure.line(box + gap_skip, top + 13, end, top + 13, CELL, 1.5, arrow=True, dashed=True)
            figure.line(box + gap_skip, bottom - 13, end, bottom - 13, HIDDEN, 1.5, arrow=True, dashed=True)

        flag = ", return_sequences=True" if return_sequences else ""
        figure.text(right_edge + 34, top + 18, f"LSTM({units}{flag})", 13, anchor="start", family=MONO)
        figure.text(right_edge + 34, top + 38, "→ ", 13, anchor="start", color=MUTED)
        figure.text(
            right_edge + 56, top + 38, shape_label(output.shape, batch_axis=True), 13, anchor="start",
            family=MONO, data_shape=f"layer-{level + 1}",
        )  # fmt: skip

    last_centre = columns[-1][1] + width / 2
    top = row_tops[-1]
    figure.line(last_centre, top, last_centre, top - 40, HIDDEN, arrow=True)
    figure.text(last_centre, top - 48, f"h_{{{timesteps}}} only", 14, color=HIDDEN)
    figure.text(right_edge + 34, row_tops[0] + 120, "input → ", 13, anchor="start", color=MUTED)
    figure.text(
        right_edge + 90, row_tops[0] + 120, shape_label(x.shape, batch_axis=True), 13, anchor="start",
        family=MONO, data_shape="input",
    )  # fmt: skip
    return figure.svg()


# ---------------------------------------------------------------------------------------------
# What an LSTM returns, for each combination of return_sequences and return_state

RETURNS_TIMESTEPS = 7
"""The length of the sequences of `docs/return-sequences-and-state.md`: x of shape (3, 7, 5)."""
FLAGS = ((False, False), (False, True), (True, False), (True, True))
"""(return_sequences, return_state), in the order the page's example prints them."""
RETURNED = ("output", "state_h", "state_c")


def flags_label(return_sequences: bool, return_state: bool) -> str:
    """The two flags as they are written in a layer's call: ``return_sequences=True, ...``."""
    return f"return_sequences={return_sequences}, return_state={return_state}"


def returned_arrays(x: np.ndarray, units: int, return_sequences: bool, return_state: bool) -> dict:
    """What ``LSTM(units)`` with these flags returns for ``x``, by name: output, state_h, state_c."""
    result = lstm(
        x, *lstm_weights(x.shape[-1], units), return_sequences=return_sequences, return_state=return_state
    )
    return dict(zip(RETURNED, result if return_state else (result,), strict=False))


def return_sequences_and_state() -> str:
    """``return-sequences-and-state.svg``: one unrolled LSTM per combination of the two flags."""
    x = np.zeros((BATCH, RETURNS_TIMESTEPS, FEATURES), "float32")  # (batch, timesteps, features)
    panels = {flags: returned_arrays(x, UNITS, *flags) for flags in FLAGS}
    timesteps = x.shape[1]
    units = panels[FLAGS[0]]["output"].shape[-1]

    panel_height, first = 166, 64
    figure = Figure(
        680,
        first + panel_height * len(panels),
        f"What LSTM({units}) returns over {timesteps} timesteps, for each combination of "
        "return_sequences and return_state",
    )
    figure.text(
        20, 26, f"LSTM({units}) on x of shape {shape_label(x.shape)}", 14, anchor="start", weight="600"
    )
    figure.rect(20, 38, 30, 16, FILL[HIDDEN], HIDDEN, radius=4)
    figure.text(58, 51, "returned", 12.5, anchor="start")
    figure.line(140, 46, 172, 46, MUTED, 1.5, dashed=True)
    figure.text(180, 51, "computed, not returned", 12.5, anchor="start", color=MUTED)

    width, gap, left = 42, 16, 24
    boxes = [left + step * (width + gap) for step in range(timesteps)]
    chain_end, column = boxes[-1] + width, 448
    for index, ((return_sequences, return_state), arrays) in enumerate(panels.items()):
        top = first + index * panel_height
        panel = flags_label(return_sequences, return_state)
        if index:
            figure.line(12, top, 668, top, FRAME, 1)
        figure.text(20, top + 21, panel, 13, anchor="start", family=MONO, weight="600")

        # The output: the hidden state of every timestep, or of the last one only.
        output_steps = arrays["output"].shape[1] if return_sequences else 1
        returned_from = boxes[timesteps - output_steps]
        figure.rect(
            returned_from - 5, top + 27, chain_end - returned_from + 10, 20, FILL[HIDDEN], HIDDEN, radius=5
        )
        for step, box in enumerate(boxes, start=1):
            centre = box + width / 2
            kept = step > timesteps - output_steps
            color = HIDDEN if kept else MUTED
            figure.line(centre, top + 68, centre, top + 50, color, 1.5, arrow=kept, dashed=not kept)
            figure.text(
                centre,
                top + 42,
                f"h_{{{step}}}",
                13,
                color=color,
                data_role="returned-h" if kept else "dropped-h",
                data_panel=panel,
            )
            figure.rect(box, top + 68, width, 48, CELL_FILL, radius=6, data_role="timestep", data_panel=panel)
            figure.line(centre, top + 140, centre, top + 116, INPUT, 1.5, arrow=True)
            figure.text(centre, top + 156, f"x_{{{step}}}", 13, color=INPUT)
            if step < timesteps:  # h and c go on to the next timestep
                figure.line(box + width, top + 80, box + width + gap, top + 80, HIDDEN, 1.5, arrow=True)
                figure.line(box + width, top + 104, box + width + gap, top + 104, CELL, 1.5, arrow=True)
        figure.line(chain_end + 7, top + 37, column - 8, top + 37, HIDDEN, 1.5, arrow=True)
        figure.text(column, top + 42, "output", 13, anchor="start", color=HIDDEN, weight="600")
        figure.text(
            column + 66,
            top + 42,
            shape_label(arrays["output"].shape),
            13,
            anchor="start",
            family=MONO,
            data_shape=f"{panel}: output",
        )
        every = "h at every timestep" if return_sequences else "h at the last timestep only"
        figure.text(column, top + 60, every, 12, anchor="start", color=MUTED)

        # The final states: handed back with return_state, else dropped once the layer is done.
        for name, y, color in (("state_h", top + 80, HIDDEN), ("state_c", top + 104, CELL)):
            if return_state:
                figure.line(chain_end, y, column - 8, y, color, 1.5, arrow=True)
                figure.text(
                    column, y + 4.5, name, 13, anchor="start", color=color, weight="600", subscripts=False
                )
                figure.text(
                    column + 66,
                    y + 4.5,
                    shape_label(arrays[name].shape),
                    13,
                    anchor="start",
                    family=MONO,
                    data_shape=f"{panel}: {name}",
                )
            else:
                figure.line(chain_end, y, chain_end + 22, y, MUTED, 1.5, dashed=True)
        if return_state:
            figure.text(column, top + 126, "the final h and c", 12, anchor="start", color=MUTED)
        else:
            figure.text(column, top + 96.5, "final h and c: not returned", 12, anchor="start", color=MUTED)
    return figure.svg()


# ---------------------------------------------------------------------------------------------
# A Bidirectional LSTM: two chains, one reading each way, joined per timestep


def bidirectional_arrays(x: np.ndarray, units: int) -> dict[str, np.ndarray]:
    """What ``Bidirectional(LSTM(units))`` computes on ``x``, with the default ``merge_mode="concat"``.

    ``sequence`` is what ``return_sequences=True`` returns: the backward layer's outputs are put back
    in timestep order, so that row t joins the forward layer's h after x_t and the backward layer's
    h after x_t (having read from the last timestep down to t). ``last`` is the default return: the
    forward layer's final h (after the last timestep) and the backward layer's (after x_1).
    """
    weights = lstm_weights(x.shape[-1], units)
    forward = lstm(x, *weights, return_sequences=True)  # (batch, timesteps, units)
    backward = lstm(x, *weights, return_sequences=True, go_backwards=True)  # in the order it read
    return {
        "forward": forward,
        "backward": backward[:, ::-1],  # in timestep order
        "sequence": np.concatenate([forward, backward[:, ::-1]], axis=-1),  # (batch, timesteps, 2 * units)
        "last": np.concatenate([forward[:, -1], backward[:, -1]], axis=-1),  # (batch, 2 * units)
    }


def bidirectional() -> str:
    """``bidirectional.svg``: the forward and the backward chain, and what the wrapper returns."""
    x = np.zeros((BATCH, RETURNS_TIMESTEPS, FEATURES), "float32")  # the page's (3, 7, 5)
    arrays = bidirectional_arrays(x, UNITS)
    timesteps, units = arrays["forward"].shape[1:]
    merged = arrays["sequence"].shape[-1]
    figure = Figure(
        680, 404, f"A Bidirectional LSTM over {timesteps} timesteps: a forward and a backward chain, joined"
    )
    figure.text(
        16,
        26,
        f'Bidirectional(LSTM({units})) on x of shape {shape_label(x.shape)}, merge_mode="concat"',
        14,
        anchor="start",
        weight="600",
    )

    width, offset, pitch, left = 40, 18, 78, 118
    merged_top, backward_top, forward_top, height = 58, 132, 212, 36
    junction, inputs = 282, 310
    columns = [left + pitch * step for step in range(timesteps)]
    for step, column in enumerate(columns, start=1):
        # Each direction's h_t goes up into its half of the joined output.
        figure.line(column + 6, forward_top, column + 6, merged_top + 26, HIDDEN, 1.5, arrow=True)
        figure.line(
            column + offset + 30,
            backward_top,
            column + offset + 30,
            merged_top + 26,
            BACKWARD,
            1.5,
            arrow=True,
        )
        for half, color, direction, sign in ((0, HIDDEN, "forward", "→"), (1, BACKWARD, "backward", "←")):
            figure.rect(
                column + 28 * half, merged_top, 28, 26, FILL[color], color, data_role=f"{direction}-half"
            )
            figure.text(column + 28 * half + 14, merged_top + 18, sign, 13, color=color, weight="600")
        # x_t reaches both layers.
        figure.line(column + 28, inputs - 14, column + 28, junction, INPUT, 1.5)
        figure.path(
            [(column + 28, junction), (column + 20, junction), (column + 20, forward_top + height)],
            INPUT,
            1.5,
            arrow=True,
        )
        figure.path(
            [(column + 28, junction), (column + 50, junction), (column + 50, backward_top + height)],
            INPUT,
            1.5,
            arrow=True,
        )
        figure.text(column + 28, inputs + 4, f"x_{{{step}}}", 13, color=INPUT)
        figure.rect(
            column, forward_top, width, height, CELL_FILL, HIDDEN, radius=6, data_role="forward-timestep"
        )
        figure.rect(
            column + offset,
            backward_top,
            width,
            height,
            CELL_FILL,
            BACKWARD,
            radius=6,
            data_role="backward-timestep",
        )
        if step < timesteps:  # h and c carried on: to the right forwards, to the left backwards
            figure.line(
                column + width, forward_top + 18, columns[step], forward_top + 18, HIDDEN, 1.5, arrow=True
            )
            figure.line(
                columns[step] + offset,
                backward_top + 18,
                column + offset + width,
                backward_top + 18,
                BACKWARD,
                1.5,
                arrow=True,
            )

    # What the default return_sequences=False keeps: the forward half of the last timestep and
    # the backward half of the first, the last timestep each layer read.
    for step, half, direction in ((timesteps, 0, "forward"), (1, 1, "backward")):
        figure.rect(
            columns[step - 1] + 28 * half - 2,
            merged_top - 2,
            32,
            30,
            "none",
            INK,
            stroke_width=2.5,
            data_role="default-output",
            data_direction=direction,
            data_step=step,
        )

    labels = (
        (merged_top + 12, "concat", f"{units} + {units} = {merged} wide", INK),
        (backward_top + 14, "backward", f"reads x_{{{timesteps}}} … x_{{1}}", BACKWARD),
        (forward_top + 14, "forward", f"reads x_{{1}} … x_{{{timesteps}}}", HIDDEN),
        (inputs - 4, "input", "each x_t, to both", INPUT),
    )
    for y, name, detail, color in labels:
        figure.text(16, y, name, 13.5, anchor="start", color=color, weight="600")
        figure.text(16, y + 17, detail, 12, anchor="start", color=MUTED)

    rows = (
        (360, "return_sequences=True: every timestep, joined", "sequence"),
        (386, f"default: the outlined halves, forward h_{{{timesteps}}} and backward h_{{1}}", "last"),
    )
    for y, text, key in rows:
        figure.text(16, y, text, 13, anchor="start")
        figure.text(664, y, shape_label(arrays[key].shape), 13, anchor="end", family=MONO, data_shape=key)
    return figure.svg()


# ---------------------------------------------------------------------------------------------
# An encoder-decoder: the encoder's final [h, c] is the decoder's initial state

TRANSLATION = {"vocabulary": 10, "length": 6, "embedding": 16, "units": 32}
"""The sizes of `snippets/tasks/encoder_decoder.py`: 10 tokens, sequences of 6, Embedding(10, 16),
LSTM(32) on both sides."""


def translation_example() -> dict[str, np.ndarray]:
    """The first sequence of that page's data, made as its ``data`` section makes it.

    Ids 0, 1 and 2 are padding, start and end; the words are the others. The source (its words,
    then padding), the decoder's input (the target one step late behind the start token) and the
    target (the words reversed, the end token, padding); `tests/test_diagrams.py` holds them to
    what the page prints.
    """
    pad, start, end = 0, 1, 2
    width, rng = TRANSLATION["length"], np.random.default_rng(1)
    length = rng.integers(2, width, size=2000)[0]  # every sequence's length is drawn first
    words = rng.integers(3, TRANSLATION["vocabulary"], size=length)
    source, target = np.full(width, pad), np.full(width, pad)
    source[:length], target[:length], target[length] = words, words[::-1], end
    return {"source": source, "decoder_input": np.concatenate([[start], target[:-1]]), "target": target}


def encoder_decoder_arrays(batch: int = BATCH) -> dict[str, np.ndarray]:
    """The arrays of that page's model for a batch of ``batch`` sequences, through `glossary.reference`.

    The embeddings are looked up in an all-zero table (only their shapes are drawn).
    """
    sizes = TRANSLATION
    source = np.zeros((batch, sizes["length"]), "int64")  # token ids, (batch, source timesteps)
    decoder_input = np.zeros((batch, sizes["length"]), "int64")  # (batch, target timesteps)
    table = np.zeros((sizes["vocabulary"], sizes["embedding"]), "float32")  # Embedding's weights
    embedded = table[source]  # (batch, source timesteps, embedding)
    _, hidden_state, cell_state = lstm(
        embedded, *lstm_weights(sizes["embedding"], sizes["units"]), return_state=True
    )
    decoder_embedded = table[
        decoder_input
    ]  # the decoder's own Embedding: (batch, target timesteps, embedding)
    decoded, _, _ = lstm(
        decoder_embedded,
        *lstm_weights(sizes["embedding"], sizes["units"]),
        return_sequences=True,
        return_state=True,
        initial_state=[hidden_state, cell_state],
    )
    dense = np.zeros((sizes["units"], sizes["vocabulary"]), "float32")
    probabilities = np.exp(decoded @ dense) / np.exp(decoded @ dense).sum(-1, keepdims=True)  # softmax
    return {
        "source": source,
        "embedded": embedded,
        "hidden_state": hidden_state,
        "cell_state": cell_state,
        "decoder_input": decoder_input,
        "decoder_embedded": decoder_embedded,
        "decoded": decoded,
        "probabilities": probabilities,
    }


def encoder_decoder() -> str:
    """``encoder-decoder.svg``: the page's model unrolled over its first sequence, shapes computed."""
    arrays = encoder_decoder_arrays()
    tokens = translation_example()
    source_steps, target_steps = arrays["source"].shape[1], arrays["decoder_input"].shape[1]
    units = arrays["hidden_state"].shape[-1]

    def shape(name):
        return shape_label(arrays[name].shape, batch_axis=True)

    figure = Figure(
        660,
        300,
        f"An encoder LSTM reads {source_steps} source tokens and hands its final hidden and cell states "
        f"to a decoder LSTM that writes {target_steps} target tokens",
    )
    width, gap, top, height = 36, 10, 160, 44
    encoder = [20 + (width + gap) * step for step in range(source_steps)]
    decoder_left = encoder[-1] + width + 90
    decoder = [decoder_left + (width + gap) * step for step in range(target_steps)]
    bottom = top + height

    figure.text(
        20,
        24,
        "The first sequence of the data: its words out in reverse, then the end token (2); 0 pads",
        14,
        anchor="start",
        weight="600",
    )
    figure.text(20, 50, "encoder", 13.5, anchor="start", weight="600")
    figure.text(20, 68, f"LSTM({units}, return_state=True)", 12, anchor="start", family=MONO)
    figure.text(decoder_left, 50, "decoder", 13.5, anchor="start", weight="600")
    figure.text(
        decoder_left,
        68,
        f"LSTM({units}), every step → {shape('decoded')}",  # return_sequences=True, too long to fit
        12,
        anchor="start",
        family=MONO,
        data_shape="decoded",
    )
    vocabulary = arrays["probabilities"].shape[-1]
    figure.text(
        decoder_left,
        88,
        f"Dense({vocabulary}, softmax) → {shape('probabilities')}",
        12,
        anchor="start",
        family=MONO,
        data_shape="probabilities",
    )
    figure.text(decoder_left, 106, "trained to write the target:", 12, anchor="start", color=MUTED)

    for chain, inputs in ((encoder, tokens["source"]), (decoder, tokens["decoder_input"])):
        role = "encoder-timestep" if chain is encoder else "decoder-timestep"
        for step, (box, token) in enumerate(zip(chain, inputs, strict=True)):
            centre = box + width / 2
            figure.rect(box, top, width, height, CELL_FILL, radius=6, data_role=role)
            figure.line(centre, bottom + 32, centre, bottom, INPUT, 1.5, arrow=True)
            start = chain is decoder and step == 0
            figure.text(
                centre,
                bottom + 48,
                "start" if start else str(token),
                12 if start else 13.5,
                color=INPUT,
                data_token=f"{role}-{step + 1}",
            )
            if step < len(chain) - 1:
                figure.line(box + width, top + 14, box + width + gap, top + 14, HIDDEN, 1.5, arrow=True)
                figure.line(box + width, top + 30, box + width + gap, top + 30, CELL, 1.5, arrow=True)
    for step, (box, token) in enumerate(zip(decoder, tokens["target"], strict=True)):
        centre = box + width / 2
        figure.line(centre, top, centre, 132, HIDDEN, 1.5, arrow=True)
        figure.text(centre, 126, str(token), 13.5, data_token=f"target-{step + 1}")

    # The only path from the source to the target: the final states, as the decoder's initial state.
    handoff = (encoder[-1] + width, decoder[0])
    figure.line(*handoff[:1], top + 14, handoff[1], top + 14, HIDDEN, 2.5, arrow=True)
    figure.line(handoff[0], top + 30, handoff[1], top + 30, CELL, 2.5, arrow=True)
    middle = sum(handoff) / 2
    figure.text(middle, top + 9, "h", 12.5, color=HIDDEN, weight="600")
    figure.text(middle, top + 25, "c", 12.5, color=CELL, weight="600")
    figure.text(middle, bottom + 20, "initial_state", 12, family=MONO, subscripts=False)
    figure.text(decoder[0] - 14, 128, "final [h, c]", 12.5, anchor="end", weight="600")
    figure.text(
        decoder[0] - 14,
        146,
        f"{shape('hidden_state')} each",
        12,
        anchor="end",
        family=MONO,
        data_shape="states",
    )

    figure.text(
        20,
        bottom + 72,
        f"source tokens {shape('source')}",
        12,
        anchor="start",
        color=MUTED,
        data_shape="source",
    )
    figure.text(
        20,
        bottom + 90,
        f"embedded {shape('embedded')}",
        12,
        anchor="start",
        color=MUTED,
        data_shape="embedded",
    )
    figure.text(
        decoder_left,
        bottom + 72,
        f"the target one step late {shape('decoder_input')}",
        12,
        anchor="start",
        color=MUTED,
        data_shape="decoder_input",
    )
    figure.text(
        decoder_left,
        bottom + 90,
        f"embedded {shape('decoder_embedded')}",
        12,
        anchor="start",
        color=MUTED,
        data_shape="decoder_embedded",
    )
    return figure.svg()
