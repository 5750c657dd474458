/** The natural sub-modules we use (importing `natural` itself loads storage back-ends that read ./.env). */
declare module 'natural/lib/natural/stemmers/porter_stemmer.js' {
  const PorterStemmer: { stem(token: string): string };
  export default PorterStemmer;
}
declare module 'natural/lib/natural/util/stopwords.js' {
  export const words: string[];
}
declare module 'natural/lib/natural/inflectors/noun_inflector.js' {
  export default class NounInflector {
    pluralize(word: string): string;
    singularize(word: string): string;
  }
}
