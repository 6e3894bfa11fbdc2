package org.vestige.ui;

import java.util.List;
import java.util.function.Function;

import org.eclipse.jface.viewers.ITreeContentProvider;

/**
 * A tree viewer's content from two functions: the top-level elements of the input, and the children
 * of an element. The views' trees (evidence, analyses, results, processes) need nothing more.
 *
 * @since 0.1
 */
public final class TreeContent implements ITreeContentProvider {

    private final Function<Object, List<?>> roots;
    private final Function<Object, List<?>> children;

    public TreeContent(Function<Object, List<?>> roots, Function<Object, List<?>> children) {
        this.roots = roots;
        this.children = children;
    }

    /** Content whose input is the list of top-level elements. */
    public static TreeContent ofList(Function<Object, List<?>> children) {
        return new TreeContent(input -> (List<?>) input, children);
    }

    @Override
    public Object[] getElements(Object input) {
        return input == null ? new Object[0] : roots.apply(input).toArray();
    }

    @Override
    public Object[] getChildren(Object element) {
        return children.apply(element).toArray();
    }

    @Override
    public Object getParent(Object element) {
        return null;
    }

    @Override
    public boolean hasChildren(Object element) {
        return !children.apply(element).isEmpty();
    }
}
