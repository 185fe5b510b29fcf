package dev.lockstep.console.backend;

/** How a burst reaches the pipeline. */
public enum Transport {
    /** Signed HTTP POSTs to the ingest, as a provider sends them. */
    HTTP("HTTP"),
    /** Straight into {@code Pipeline.accept}, skipping HTTP. */
    DIRECT("Direct");

    private final String label;

    Transport(String label) {
        this.label = label;
    }

    @Override
    public String toString() {
        return label;
    }
}
