package dev.lockstep.console.view;

import java.awt.CardLayout;
import java.awt.Font;
import javax.swing.JComponent;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.SwingConstants;
import javax.swing.UIManager;

/** Shows its content, or a quiet sentence (or a small panel) saying why there is nothing to show. */
public final class EmptyState extends JPanel {
    private static final String CONTENT = "content";
    private static final String EMPTY = "empty";
    private final CardLayout cards = new CardLayout();
    private final JLabel message;
    private boolean empty;

    /**
     * @param name the message label's name is {@code name + ".empty"}
     */
    public EmptyState(String name, JComponent content, String emptyMessage) {
        setLayout(cards);
        message = new JLabel(emptyMessage, SwingConstants.CENTER) {
            @Override
            public void updateUI() {
                super.updateUI();
                setForeground(Palette.muted());
                Font f = UIManager.getFont("Label.font");
                if (f != null) {
                    setFont(f.deriveFont(f.getSize2D() + 1f));
                }
            }
        };
        message.setName(name + ".empty");
        add(content, CONTENT);
        add(message, EMPTY);
        cards.show(this, CONTENT);
    }

    /**
     * Shows {@code whenEmpty} instead of a sentence, for an empty state that needs more than words
     * (a command to copy); name its components yourself.
     */
    public EmptyState(JComponent content, JComponent whenEmpty) {
        setLayout(cards);
        message = null;
        add(content, CONTENT);
        add(whenEmpty, EMPTY);
        cards.show(this, CONTENT);
    }

    public void setEmpty(boolean isEmpty) {
        if (isEmpty != empty) {
            empty = isEmpty;
            cards.show(this, isEmpty ? EMPTY : CONTENT);
        }
    }

    /** The sentence's new text; only for the sentence form. */
    public void setMessage(String text) {
        if (message == null) {
            throw new IllegalStateException("this empty state shows a panel, not a sentence");
        }
        message.setText(text);
    }

    public boolean isEmpty() {
        return empty;
    }
}
