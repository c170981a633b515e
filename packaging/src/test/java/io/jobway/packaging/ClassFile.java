package io.jobway.packaging;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one class file links to, read from its constant pool and member descriptors (JVMS chapter 4): the classes
 * the JVM may load when it runs or verifies this class, the string constants (a class loaded by name often
 * appears as one), and the names of its methods.
 *
 * @param name       internal name ({@code io/jobway/api/ApiFunction})
 * @param references internal names of every class named by a class constant or a field/method descriptor
 * @param mentions   other classes named only in generic signatures or annotations: not linked, but read by
 *                   reflection (the SDK's classes carry annotations of its annotations jar, for example)
 * @param interfaces internal names of the interfaces the class declares it implements
 */
record ClassFile(String name, Set<String> references, Set<String> mentions, List<String> strings, Set<String> methods,
                 Set<String> interfaces) {
    private static final Pattern OBJECT_TYPE = Pattern.compile("L([^;<]+);");

    static ClassFile parse(byte[] bytes) {
        try (var in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            if (in.readInt() != 0xCAFEBABE) {
                throw new IllegalArgumentException("not a class file");
            }
            in.readUnsignedShort(); // minor
            in.readUnsignedShort(); // major
            int count = in.readUnsignedShort();
            Map<Integer, String> utf8 = new HashMap<>();
            Map<Integer, Integer> classes = new HashMap<>(); // constant index -> its Utf8 name index
            List<Integer> strings = new ArrayList<>();
            List<Integer> descriptors = new ArrayList<>();
            for (int index = 1; index < count; index++) {
                int tag = in.readUnsignedByte();
                switch (tag) {
                    case 1 -> utf8.put(index, in.readUTF());
                    case 3, 4 -> in.readInt();
                    case 5, 6 -> {
                        in.readLong();
                        index++; // a long or double takes two slots
                    }
                    case 7 -> classes.put(index, in.readUnsignedShort());
                    case 8 -> strings.add(in.readUnsignedShort());
                    case 9, 10, 11, 17, 18 -> in.readInt();
                    case 12 -> {
                        in.readUnsignedShort();
                        descriptors.add(in.readUnsignedShort());
                    }
                    case 15 -> {
                        in.readUnsignedByte();
                        in.readUnsignedShort();
                    }
                    case 16 -> descriptors.add(in.readUnsignedShort());
                    case 19, 20 -> in.readUnsignedShort();
                    default -> throw new IllegalArgumentException("unknown constant pool tag " + tag);
                }
            }
            in.readUnsignedShort(); // access flags
            String name = utf8.get(classes.get(in.readUnsignedShort()));
            var references = new LinkedHashSet<String>();
            for (int nameIndex : classes.values()) {
                addClassConstant(utf8.get(nameIndex), references);
            }
            for (int descriptor : descriptors) {
                addDescriptor(utf8.get(descriptor), references);
            }
            in.readUnsignedShort(); // super (a class constant, already counted)
            var interfaces = new LinkedHashSet<String>(); // class constants too, so already in references
            for (int i = in.readUnsignedShort(); i > 0; i--) {
                interfaces.add(utf8.get(classes.get(in.readUnsignedShort())));
            }
            readMembers(in, utf8, references, null); // fields
            var methods = new LinkedHashSet<String>();
            readMembers(in, utf8, references, methods);
            references.remove(name);
            var mentions = new LinkedHashSet<String>();
            utf8.values().forEach(text -> addDescriptor(text, mentions));
            mentions.removeAll(references);
            mentions.remove(name);
            return new ClassFile(name, references, mentions, strings.stream().map(utf8::get).toList(), methods,
                    interfaces);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read a class file", e);
        }
    }

    private static void readMembers(DataInputStream in, Map<Integer, String> utf8, Set<String> references,
                                    Set<String> names) throws IOException {
        int count = in.readUnsignedShort();
        for (int i = 0; i < count; i++) {
            in.readUnsignedShort(); // access flags
            String name = utf8.get(in.readUnsignedShort());
            addDescriptor(utf8.get(in.readUnsignedShort()), references);
            if (names != null) {
                names.add(name);
            }
            int attributes = in.readUnsignedShort();
            for (int a = 0; a < attributes; a++) {
                in.readUnsignedShort();
                in.skipNBytes(Integer.toUnsignedLong(in.readInt()));
            }
        }
    }

    private static void addClassConstant(String value, Set<String> references) {
        if (value.startsWith("[")) {
            addDescriptor(value, references); // an array type: its element class, if any
        } else {
            references.add(value);
        }
    }

    private static void addDescriptor(String descriptor, Set<String> references) {
        Matcher matcher = OBJECT_TYPE.matcher(descriptor);
        while (matcher.find()) {
            references.add(matcher.group(1));
        }
    }
}
