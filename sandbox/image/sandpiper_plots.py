"""The sandbox's matplotlib backend (MPLBACKEND=module://sandpiper_plots): Agg, except that
plt.show(), and the figures still open when the program ends (sandbox/program.py), become PNG files
in the working directory, figure-1.png, figure-2.png and so on in the order they are shown, which
Sandpiper sends back like any file the program writes. No one needs savefig to see a plot."""
import os

from matplotlib.backend_bases import FigureManagerBase
from matplotlib.backends.backend_agg import FigureCanvasAgg

FigureCanvas = FigureCanvasAgg
FigureManager = FigureManagerBase


def save_figures():
    """Saves every open figure as a PNG, then closes them all."""
    import matplotlib.pyplot as plt  # here: this module is loaded while pyplot itself loads

    for number in plt.get_fignums():
        plt.figure(number).savefig(free_name())
    plt.close("all")


def show(*args, **kwargs):
    save_figures()


saved = 0


def free_name():
    """The next figure-N.png that doesn't exist yet."""
    global saved
    while True:
        saved += 1
        name = "figure-%d.png" % saved
        if not os.path.exists(name):
            return name
